package icimsadapter

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jobcannon/jobcannon/assessments"
)

// assessmentListTTL is how long a tenant's Assessment Type and Assessment
// Name lists are reused: admins edit them in iCIMS rarely, each load costs
// several calls, and "Refresh from iCIMS" empties the cache on demand.
const assessmentListTTL = 10 * time.Minute

// typeCache remembers, per tenant, the lists read from iCIMS.
type typeCache struct {
	mu sync.Mutex
	m  map[int64]assessments.AssessmentLists
}

// listNames are the configured names of the lists packages are mapped to;
// blank names are skipped, and none at all means the usual two.
func (p *Pool) listNames() []string {
	var names []string
	for _, n := range p.cfg.AssessmentListNames {
		if n = strings.TrimSpace(n); n != "" && !slices.ContainsFunc(names, func(m string) bool { return strings.EqualFold(m, n) }) {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return []string{assessments.ListAssessmentType, assessments.ListAssessmentName}
	}
	return names
}

// AssessmentLists implements assessments.AssessmentTypeSource. Custom lists
// have no list id (contract §4): they are found by name among the children
// of lists.customfields_lists and read by their node id, page by page. A
// list the customer has not created is reported as missing, not as an
// error, so the other list can still be offered.
func (p *Pool) AssessmentLists(ctx context.Context, tenantID int64) (assessments.AssessmentLists, error) {
	now := p.cfg.Clock.Now()
	p.types.mu.Lock()
	c, ok := p.types.m[tenantID]
	p.types.mu.Unlock()
	if ok && now.Sub(c.FetchedAt) < assessmentListTTL {
		return c, nil
	}
	t, err := p.cfg.Tenants.Tenant(ctx, tenantID)
	if err != nil {
		return assessments.AssessmentLists{}, err
	}
	client, err := p.Client(ctx, t)
	if err != nil {
		return assessments.AssessmentLists{}, err
	}
	names := p.listNames()
	found, err := client.CustomLists(ctx, names...)
	if err != nil {
		// The page shows this message: say what went wrong and what to do,
		// as the connection check does.
		check := explain(t, assessments.ConnectionCheck{}, p.Failed(ctx, t, err))
		p.cfg.Log.WarnContext(ctx, "read assessment lists", "customer_id", t.CustomerID, "err", err)
		return assessments.AssessmentLists{}, assessments.Errorf(assessments.EUNAVAILABLE, "%s %s", check.Summary, check.Fix)
	}
	out := assessments.AssessmentLists{FetchedAt: now}
	for _, name := range names {
		l, ok := found[name]
		if !ok {
			out.Missing = append(out.Missing, strings.TrimSpace(name))
			continue
		}
		list := assessments.AssessmentList{Name: l.Value, ID: l.ID}
		for _, n := range l.Nodes {
			list.Nodes = append(list.Nodes, assessments.AssessmentType{ID: n.ID, Value: n.Value, List: l.Value})
		}
		out.Lists = append(out.Lists, list)
	}
	p.types.mu.Lock()
	p.types.m[tenantID] = out
	p.types.mu.Unlock()
	return out, nil
}

// RefreshAssessmentLists implements assessments.AssessmentTypeSource.
func (p *Pool) RefreshAssessmentLists(_ context.Context, tenantID int64) {
	p.types.mu.Lock()
	delete(p.types.m, tenantID)
	p.types.mu.Unlock()
}
