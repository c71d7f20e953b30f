package icimsadapter

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
)

// ScorecardCheck checks a package's scorecard mapping against the tenant's
// iCIMS when an admin saves it. It implements assessments.ScorecardChecker.
//
// iCIMS offers no list of a customer's fields, and a profile GET cannot
// tell a missing field from an empty one (both are simply absent), so the
// check asks iCIMS's search instead: a filter on a custom field that does
// not exist, or that the integration user may not see, is refused with
// code 4 "The following filter is either not valid or hidden: <name>" (the
// simulator does the same). The search is built to match nobody, reads
// nothing and writes nothing, and needs no candidate: one call, plus one
// per refused field. A filter names the field's type (person.customfield
// 3001.number or .text), so a field of the wrong type is refused too; one
// more call then tells "wrong type" from "missing".
type ScorecardCheck struct {
	Clients Clients
	Log     *slog.Logger
}

var _ assessments.ScorecardChecker = (*ScorecardCheck)(nil)

// customFieldID matches iCIMS's custom person fields, rcf and digits.
var customFieldID = regexp.MustCompile(`^rcf([0-9]+)$`)

// maxCheckCalls bounds the calls of one check.
const maxCheckCalls = 1 + 2*assessments.MaxScorecardRows

// CheckScorecard implements assessments.ScorecardChecker.
func (c *ScorecardCheck) CheckScorecard(ctx context.Context, t assessments.Tenant, mapping []assessments.ScorecardMapping) assessments.ScorecardCheck {
	var out assessments.ScorecardCheck
	pending := map[string]string{} // filter name → field
	var skipped []string
	for _, m := range mapping {
		match := customFieldID.FindStringSubmatch(strings.ToLower(m.Field))
		if match == nil {
			skipped = append(skipped, m.Field)
			continue
		}
		pending[customFilter(match[1], assessments.ScorecardSourceIsText(m.Source))] = strings.ToLower(m.Field)
	}
	if len(pending) == 0 {
		return c.note(out, skipped, "")
	}
	client, err := c.Clients.Client(ctx, t)
	if err != nil {
		return c.note(out, skipped, "JobCannon could not check the fields in iCIMS: "+assessments.ErrorMessage(err))
	}
	for calls := 0; len(pending) > 0 && calls < maxCheckCalls; calls++ {
		refused, err := c.search(ctx, client, pending)
		if err != nil {
			c.Log.WarnContext(ctx, "scorecard check", "customer_id", t.CustomerID, "err", err)
			return c.note(out, skipped, "JobCannon could not check the fields in iCIMS just now ("+shortError(err)+"); they are checked again when a candidate completes.")
		}
		if refused == "" {
			break
		}
		field := pending[refused]
		delete(pending, refused)
		calls++
		other := flipType(refused)
		if wrong, err := c.search(ctx, client, map[string]string{other: field}); err == nil && wrong == "" {
			kind := "numbers"
			if strings.HasSuffix(other, ".text") {
				kind = "text"
			}
			out.Problems = append(out.Problems, fmt.Sprintf("The iCIMS field %s holds %s, which does not fit what it is mapped to. Map it to another score, or use another field.", field, kind))
			continue
		}
		out.Missing = append(out.Missing, field)
		out.Problems = append(out.Problems, fmt.Sprintf("Scorecard field not found: iCIMS has no field %s (or JobCannon may not see it). Create it in iCIMS first, or fix the mapping.", field))
	}
	out.Checked = true
	return c.note(out, skipped, "")
}

// search runs a search that matches nobody with the given filters and
// returns the filter iCIMS refused as unknown, or "".
func (c *ScorecardCheck) search(ctx context.Context, client *icims.Client, filters map[string]string) (string, error) {
	// person.id < 1 matches nobody: the answer is an empty list, and only
	// the filters' validity is being asked.
	q := icims.SearchQuery{Filters: []icims.SearchFilter{{Name: "person.id", Value: []string{"1"}, Operator: "<"}}}
	for name := range filters {
		value := "0"
		if strings.HasSuffix(name, ".text") {
			value = "-"
		}
		q.Filters = append(q.Filters, icims.SearchFilter{Name: name, Value: []string{value}, Operator: "="})
	}
	_, err := client.SearchPage(ctx, icims.SearchPeople, q, "")
	var ie *icims.Error
	if err == nil {
		return "", nil
	} else if !errors.As(err, &ie) || ie.Kind != icims.InvalidField {
		return "", err
	}
	for name := range filters {
		if strings.Contains(ie.Message, name) {
			return name, nil
		}
	}
	return "", err
}

func (c *ScorecardCheck) note(out assessments.ScorecardCheck, skipped []string, note string) assessments.ScorecardCheck {
	if len(skipped) > 0 {
		note = strings.TrimSpace(note + " Only custom fields (rcf…) can be checked; " + strings.Join(skipped, ", ") + " will be checked when a candidate completes.")
	}
	out.Note = note
	return out
}

// customFilter is the search filter naming custom field rcf<num>.
func customFilter(num string, text bool) string {
	if text {
		return "person.customfield" + num + ".text"
	}
	return "person.customfield" + num + ".number"
}

func flipType(filter string) string {
	if base, ok := strings.CutSuffix(filter, ".text"); ok {
		return base + ".number"
	}
	return strings.TrimSuffix(filter, ".number") + ".text"
}

func shortError(err error) string {
	var ie *icims.Error
	if errors.As(err, &ie) {
		if ie.HTTPStatus != 0 {
			return fmt.Sprintf("iCIMS answered %d: %s", ie.HTTPStatus, ie.Message)
		}
		return ie.Message
	}
	return "an error on our side"
}
