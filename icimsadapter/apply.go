package icimsadapter

import (
	"context"

	"github.com/jobcannon/jobcannon/assessments"
)

// ApplyICIMS reads what the apply pages show from iCIMS: a job (through
// the same cached GET /jobs as the events) and the customer's sources.
type ApplyICIMS struct {
	Facts *Facts
}

// Job returns a job's title and folder.
func (a ApplyICIMS) Job(ctx context.Context, t assessments.Tenant, jobID string) (assessments.JobFacts, error) {
	return a.Facts.For(t, assessments.InboundEvent{JobID: jobID}, assessments.FactOptions{}).Job(ctx)
}

// SourcesListID is iCIMS's list of valid Source values.
const SourcesListID = "lists.sources"

// Sources returns the values of the customer's lists.sources.
func (a ApplyICIMS) Sources(ctx context.Context, t assessments.Tenant) ([]string, error) {
	client, err := a.Facts.Clients.Client(ctx, t)
	if err != nil {
		return nil, err
	}
	l, err := client.GetList(ctx, SourcesListID)
	if err != nil {
		return nil, a.Facts.failed(ctx, t, err, true)
	}
	out := make([]string, 0, len(l.Nodes))
	for _, n := range l.Nodes {
		out = append(out, n.Value)
	}
	return out, nil
}
