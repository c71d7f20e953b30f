package storage

import (
	"context"
	"fmt"

	"github.com/jobcannon/jobcannon/assessments"
)

var _ assessments.CompletedInvitations = (*InvitationStore)(nil)

// CompletedInvitations implements assessments.CompletedInvitations.
func (s *InvitationStore) CompletedInvitations(ctx context.Context, tenantID int64, workflowID string) ([]assessments.Invitation, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT `+invitationColumns+` FROM invitations
		WHERE tenant_id = ? AND workflow_id = ? AND status = 'completed' ORDER BY completed_at DESC, id DESC`,
		tenantID, workflowID)
	if err != nil {
		return nil, fmt.Errorf("storage: completed invitations: %w", err)
	}
	defer rows.Close()
	var out []assessments.Invitation
	for rows.Next() {
		inv, err := scanInvitation(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: completed invitations: %w", err)
		}
		out = append(out, inv)
	}
	return out, rows.Err()
}
