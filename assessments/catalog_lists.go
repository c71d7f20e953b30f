package assessments

import (
	"context"
	"time"
)

// Names of the iCIMS custom lists a package can be mapped to, as iCIMS
// customers usually call them. iCIMS documents no fixed names, so the
// service lets an operator configure others.
const (
	ListAssessmentType = "Assessment Type"
	ListAssessmentName = "Assessment Name"
)

// AssessmentList is one of a tenant's iCIMS custom lists that packages are
// mapped to.
type AssessmentList struct {
	// Name is the list's name as iCIMS shows it, such as "Assessment Type".
	Name string
	// ID is the custom list's node id (custom lists have no list id).
	ID    string
	Nodes []AssessmentType
}

// AssessmentLists is what iCIMS holds of a tenant's Assessment Type and
// Assessment Name lists.
type AssessmentLists struct {
	// Lists are the lists found, in the configured order.
	Lists []AssessmentList
	// Missing names the configured lists the customer does not have.
	Missing []string
	// FetchedAt is when iCIMS was asked.
	FetchedAt time.Time
}

// Node finds a node by id in any of the lists.
func (l AssessmentLists) Node(id string) (AssessmentType, bool) {
	for _, list := range l.Lists {
		for _, n := range list.Nodes {
			if n.ID == id {
				return n, true
			}
		}
	}
	return AssessmentType{}, false
}

// Empty reports whether no list could be read: then a package can only be
// mapped to a node id typed by hand.
func (l AssessmentLists) Empty() bool { return len(l.Lists) == 0 }

// AssessmentTypeSource loads a tenant's Assessment Type and Assessment Name
// lists from iCIMS.
type AssessmentTypeSource interface {
	// AssessmentLists returns the lists, from a short-lived cache when it
	// holds them.
	AssessmentLists(ctx context.Context, tenantID int64) (AssessmentLists, error)
	// RefreshAssessmentLists forgets the cached lists, so that the next read
	// asks iCIMS (the catalog's "Refresh from iCIMS").
	RefreshAssessmentLists(ctx context.Context, tenantID int64)
}
