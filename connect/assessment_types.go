package connect

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/jobcannon/jobcannon/assessments"
)

// assessmentTypeTTL is how long a tenant's Assessment Type list is reused:
// admins edit it in iCIMS rarely, and each load costs calls.
const assessmentTypeTTL = 10 * time.Minute

type cachedTypes struct {
	listID  string
	types   []assessments.AssessmentType
	fetched time.Time
}

// typeCache remembers, per tenant, which custom list is the Assessment Type
// list and its nodes.
type typeCache struct {
	mu sync.Mutex
	m  map[int64]cachedTypes
}

// AssessmentTypes implements assessments.AssessmentTypeSource. iCIMS names
// the Assessment Type list per customer (a custom list, id C…), so the pool
// finds it once by its name and then reads only that list.
func (p *Pool) AssessmentTypes(ctx context.Context, tenantID int64) ([]assessments.AssessmentType, error) {
	now := p.cfg.Clock.Now()
	p.types.mu.Lock()
	c, ok := p.types.m[tenantID]
	p.types.mu.Unlock()
	if ok && now.Sub(c.fetched) < assessmentTypeTTL {
		return c.types, nil
	}
	t, err := p.cfg.Tenants.Tenant(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	client, err := p.Client(ctx, t)
	if err != nil {
		return nil, err
	}
	listID := c.listID
	if listID == "" {
		ids, err := client.GetLists(ctx)
		if err != nil {
			return nil, p.Failed(ctx, t, err)
		}
		for _, id := range ids {
			if !strings.HasPrefix(id, "C") {
				continue // system lists are named lists.*; customer lists C…
			}
			l, err := client.GetList(ctx, id)
			if err != nil {
				return nil, p.Failed(ctx, t, err)
			}
			if strings.EqualFold(strings.TrimSpace(l.Value), "Assessment Type") {
				listID = id
				break
			}
		}
		if listID == "" {
			return nil, assessments.Errorf(assessments.ENOTFOUND,
				"iCIMS customer %s has no list named \"Assessment Type\". Create it in iCIMS (Admin > Lists) with one node per assessment package.", t.CustomerID)
		}
	}
	l, err := client.GetList(ctx, listID)
	if err != nil {
		return nil, p.Failed(ctx, t, err)
	}
	types := make([]assessments.AssessmentType, 0, len(l.Nodes))
	for _, n := range l.Nodes {
		types = append(types, assessments.AssessmentType{ID: n.ID, Value: n.Value})
	}
	p.types.mu.Lock()
	p.types.m[tenantID] = cachedTypes{listID: listID, types: types, fetched: now}
	p.types.mu.Unlock()
	return types, nil
}
