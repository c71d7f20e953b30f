package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"regexp"
	"time"

	"github.com/jobcannon/jobcannon/assessments"
)

// purgeInvitations empties one batch of the tenant's invitations whose
// last change is before cutoff and that are over (or expired before it):
// the candidate's name, e-mail and return link, answers, timings,
// accommodation messages, the candidate link, the result link, and the
// e-mail addresses in the invitation's history and e-mail records. The
// row stays, with its status and dates, for counts.
func (s *RetentionStore) purgeInvitations(ctx context.Context, tx *sql.Tx, tenantID int64, cutoff time.Time) (assessments.PurgeCounts, bool, error) {
	var c assessments.PurgeCounts
	ids, err := queryIDs(ctx, tx, `SELECT id FROM invitations INDEXED BY invitations_unpurged
		WHERE tenant_id = ? AND purged_at IS NULL AND updated_at < ?
			AND (status IN ('completed', 'expired', 'cancelled') OR expires_at < ?)
		LIMIT ?`, tenantID, cutoff, cutoff, s.BatchSize)
	if err != nil || len(ids) == 0 {
		return c, false, err
	}
	in, args := inList(tenantID, ids)
	now := s.clock.Now()
	if c.Events, err = scrubEmails(ctx, tx, "invitation_events", "detail", "tenant_id = ? AND invitation_id IN "+in, args); err != nil {
		return c, false, err
	}
	if c.Emails, err = scrubEmails(ctx, tx, "invitation_emails", "error", "tenant_id = ? AND invitation_id IN "+in, args); err != nil {
		return c, false, err
	}
	for _, st := range []struct {
		n     *int
		query string
		pre   []any
	}{
		{&c.Answers, `DELETE FROM answers WHERE tenant_id = ? AND invitation_id IN ` + in, nil},
		{&c.Timings, `DELETE FROM attempts WHERE tenant_id = ? AND invitation_id IN ` + in, nil},
		{&c.Accommodations, `UPDATE accommodation_requests SET message = '' WHERE message != '' AND tenant_id = ? AND invitation_id IN ` + in, nil},
		{&c.Links, `DELETE FROM invitation_links WHERE tenant_id = ? AND invitation_id IN ` + in, nil},
		{&c.Reports, `UPDATE results SET revoked_at = ? WHERE revoked_at IS NULL AND tenant_id = ? AND invitation_id IN ` + in, []any{now}},
		{&c.Invitations, `UPDATE invitations SET candidate_first_name = '', candidate_last_name = '', candidate_email = '',
			return_url = '', purged_at = ? WHERE tenant_id = ? AND id IN ` + in, []any{now}},
	} {
		res, err := tx.ExecContext(ctx, st.query, append(st.pre, args...)...)
		if err != nil {
			return c, false, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return c, false, err
		}
		*st.n = int(n)
	}
	return c, len(ids) == s.BatchSize, nil
}

// purgeDeliveries empties one batch of the tenant's deliveries created
// before cutoff: the candidate's name and return link in the event, the
// sealed answer Location (it can hold a candidate token), e-mail
// addresses in the message, and every attempt's headers and bodies. What
// the delivery was and how it ended stay, for the logs and the counts.
func (s *RetentionStore) purgeDeliveries(ctx context.Context, tx *sql.Tx, tenantID int64, cutoff time.Time) (assessments.PurgeCounts, bool, error) {
	var c assessments.PurgeCounts
	ids, err := queryIDs(ctx, tx, `SELECT id FROM deliveries INDEXED BY deliveries_unpurged
		WHERE tenant_id = ? AND purged_at IS NULL AND created_at < ? LIMIT ?`, tenantID, cutoff, s.BatchSize)
	if err != nil || len(ids) == 0 {
		return c, false, err
	}
	in, args := inList(tenantID, ids)
	if _, err = scrubEmails(ctx, tx, "deliveries", "message", "tenant_id = ? AND id IN "+in, args); err != nil {
		return c, false, err
	}
	if _, err = scrubEmails(ctx, tx, "delivery_attempts", "error", "tenant_id = ? AND delivery_id IN "+in, args); err != nil {
		return c, false, err
	}
	res, err := tx.ExecContext(ctx, `UPDATE delivery_attempts SET request_headers = '{}', request_body = '', response_body = ''
		WHERE tenant_id = ? AND delivery_id IN `+in+` AND (request_headers != '{}' OR request_body != '' OR response_body != '')`, args...)
	if err != nil {
		return c, false, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return c, false, err
	}
	c.Attempts = int(n)
	if err := stripPayloads(ctx, tx, "tenant_id = ? AND id IN "+in, args); err != nil {
		return c, false, err
	}
	res, err = tx.ExecContext(ctx, `UPDATE deliveries SET location_sealed = '', dedupe_key = NULL, purged_at = ?
		WHERE tenant_id = ? AND id IN `+in, append([]any{s.clock.Now()}, args...)...)
	if err != nil {
		return c, false, err
	}
	if n, err = res.RowsAffected(); err != nil {
		return c, false, err
	}
	c.Deliveries = int(n)
	return c, len(ids) == s.BatchSize, nil
}

// purgeMailbox deletes one batch of the tenant's dev-mailbox messages and
// its used or expired admin invitations from before cutoff.
func (s *RetentionStore) purgeMailbox(ctx context.Context, tx *sql.Tx, tenantID int64, cutoff time.Time) (assessments.PurgeCounts, bool, error) {
	var c assessments.PurgeCounts
	res, err := tx.ExecContext(ctx, `DELETE FROM dev_mailbox WHERE id IN
		(SELECT id FROM dev_mailbox WHERE tenant_id = ? AND created_at < ? LIMIT ?)`, tenantID, cutoff, s.BatchSize)
	if err != nil {
		return c, false, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return c, false, err
	}
	c.Mailbox = int(n)
	res, err = tx.ExecContext(ctx, `DELETE FROM admin_invites WHERE tenant_id = ? AND created_at < ?
		AND (used_at IS NOT NULL OR expires_at < ?)`, tenantID, cutoff, cutoff)
	if err != nil {
		return c, false, err
	}
	if n, err = res.RowsAffected(); err != nil {
		return c, false, err
	}
	c.AdminInvites = int(n)
	return c, c.Mailbox == s.BatchSize, nil
}

// PurgeUnownedMail implements assessments.RetentionStore.
func (s *RetentionStore) PurgeUnownedMail(ctx context.Context, cutoff time.Time) (int, error) {
	res, err := s.db.W.ExecContext(ctx, `DELETE FROM dev_mailbox WHERE tenant_id IS NULL AND created_at < ?`, cutoff.UTC())
	if err != nil {
		return 0, fmt.Errorf("storage: purge unowned mail: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// emailAddress finds e-mail addresses in free text: the candidate's, in
// the summaries and SMTP replies that e-mail records and logs keep.
var emailAddress = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)

// ErasedAddress replaces an e-mail address that retention removed.
const ErasedAddress = "[address deleted]"

// scrubEmails replaces the e-mail addresses in column of the rows of table
// matching where, and returns how many rows changed. table and column are
// this file's constants, never input.
func scrubEmails(ctx context.Context, tx *sql.Tx, table, column, where string, args []any) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, `+column+` FROM `+table+` WHERE `+column+` LIKE '%@%' AND `+where, args...)
	if err != nil {
		return 0, fmt.Errorf("scrub %s: %w", table, err)
	}
	type change struct {
		id   int64
		text string
	}
	var changes []change
	for rows.Next() {
		var ch change
		if err := rows.Scan(&ch.id, &ch.text); err != nil {
			rows.Close()
			return 0, fmt.Errorf("scrub %s: %w", table, err)
		}
		if clean := emailAddress.ReplaceAllString(ch.text, ErasedAddress); clean != ch.text {
			changes = append(changes, change{ch.id, clean})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("scrub %s: %w", table, err)
	}
	for _, ch := range changes {
		if _, err := tx.ExecContext(ctx, `UPDATE `+table+` SET `+column+` = ? WHERE id = ?`, ch.text, ch.id); err != nil {
			return 0, fmt.Errorf("scrub %s: %w", table, err)
		}
	}
	return len(changes), nil
}

// payloadPersonal are the keys of a delivery's stored event that name the
// candidate or lead back to them: the return link, and the person's name
// that older events kept.
var payloadPersonal = []string{"person_name", "return_url"}

// stripPayloads removes payloadPersonal from the events of the deliveries
// matching where. It edits the JSON here rather than in SQL: SQLite's
// json_remove and PostgreSQL's jsonb operators differ, and the payload
// column is text in both.
func stripPayloads(ctx context.Context, tx *sql.Tx, where string, args []any) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, payload FROM deliveries WHERE `+where, args...)
	if err != nil {
		return fmt.Errorf("strip payloads: %w", err)
	}
	type change struct {
		id      int64
		payload []byte
	}
	var changes []change
	for rows.Next() {
		var id int64
		var payload string
		if err := rows.Scan(&id, &payload); err != nil {
			rows.Close()
			return fmt.Errorf("strip payloads: %w", err)
		}
		var event map[string]json.RawMessage
		if err := json.Unmarshal([]byte(payload), &event); err != nil {
			rows.Close()
			return fmt.Errorf("strip payloads: delivery %d: %w", id, err)
		}
		n := len(event)
		for _, k := range payloadPersonal {
			delete(event, k)
		}
		if len(event) == n {
			continue
		}
		stripped, err := json.Marshal(event)
		if err != nil {
			rows.Close()
			return fmt.Errorf("strip payloads: delivery %d: %w", id, err)
		}
		changes = append(changes, change{id, stripped})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("strip payloads: %w", err)
	}
	for _, ch := range changes {
		if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET payload = ? WHERE id = ?`, string(ch.payload), ch.id); err != nil {
			return fmt.Errorf("strip payloads: %w", err)
		}
	}
	return nil
}

func queryIDs(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// inList returns "(?, ?, …)" for ids and the arguments: the tenant, then
// the ids.
func inList(tenantID int64, ids []int64) (string, []any) {
	args := make([]any, 0, len(ids)+1)
	args = append(args, tenantID)
	for _, id := range ids {
		args = append(args, id)
	}
	return "(" + paramList(len(ids)) + ")", args
}
