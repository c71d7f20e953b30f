package storage

import (
	"context"
	"fmt"

	"github.com/jobcannon/jobcannon/assessments"
)

// ChecklistStore reads the facts behind the dashboard's setup checklist.
type ChecklistStore struct {
	db *DB
}

// NewChecklistStore returns a ChecklistStore.
func NewChecklistStore(db *DB) *ChecklistStore { return &ChecklistStore{db: db} }

var _ assessments.ChecklistStore = (*ChecklistStore)(nil)

// SetupFacts implements assessments.ChecklistStore. Each fact is an
// EXISTS that an index of its table answers, so the dashboard stays cheap
// with a million deliveries: it stops at the first row that proves it.
func (s *ChecklistStore) SetupFacts(ctx context.Context, tenantID int64) (assessments.SetupFacts, error) {
	var f assessments.SetupFacts
	err := s.db.R.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) FROM trigger_rules WHERE tenant_id = ?1 AND enabled),
			EXISTS (SELECT 1 FROM deliveries WHERE tenant_id = ?1 AND direction = 'inbound' AND kind = ?2 AND status = 'processed'),
			EXISTS (SELECT 1 FROM invitation_emails WHERE tenant_id = ?1 AND status = 'sent'),
			EXISTS (SELECT 1 FROM writebacks WHERE tenant_id = ?1 AND written = 'completed'),
			EXISTS (SELECT 1 FROM deliveries WHERE tenant_id = ?1 AND direction = 'inbound' AND http_status BETWEEN 200 AND 399),
			(SELECT COUNT(*) FROM writebacks WHERE tenant_id = ?1 AND state = 'failed'),
			(SELECT COUNT(*) FROM writebacks WHERE tenant_id = ?1 AND state = 'dead')`,
		tenantID, assessments.EventStatusChange).Scan(&f.EnabledRules, &f.StatusChangeProcessed, &f.EmailSent,
		&f.CompleteWritten, &f.DeliveryAnswered, &f.FailedWrites, &f.DeadWrites)
	if err != nil {
		return f, fmt.Errorf("storage: setup facts: %w", err)
	}
	return f, nil
}
