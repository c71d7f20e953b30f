package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jobcannon/jobcannon/assessments"
)

// deliveryRow is a delivery and its first attempt ready to be written:
// everything that costs CPU (the JSON, the sealed Location) is done by the
// request's goroutine before it joins a group commit, so the transaction
// every event waits for only writes.
type deliveryRow struct {
	d        assessments.Delivery
	status   int // the answer's HTTP status
	payload  string
	sealed   string
	method   string
	url      string
	headers  string
	body     string
	response string
}

// newDeliveryRow prepares a's delivery and first attempt.
func (s *EventStore) newDeliveryRow(a assessments.Acceptance) (deliveryRow, error) {
	d := a.Delivery
	payload, err := json.Marshal(d.Event)
	if err != nil {
		return deliveryRow{}, fmt.Errorf("encode event: %w", err)
	}
	var sealed string
	if a.Answer.Location != "" {
		if sealed, err = s.keys.Seal([]byte(a.Answer.Location), locationContext(d.PublicID)); err != nil {
			return deliveryRow{}, fmt.Errorf("seal location: %w", err)
		}
	}
	headers, err := json.Marshal(a.Request.RequestHeaders)
	if err != nil {
		return deliveryRow{}, fmt.Errorf("encode headers: %w", err)
	}
	return deliveryRow{d: d, status: a.Answer.Status, payload: string(payload), sealed: sealed, method: a.Request.Method,
		url: a.Request.URL, headers: string(headers), body: a.Request.RequestBody, response: string(a.Answer.JSON())}, nil
}

// rowsPerInsert bounds one multi-row INSERT: a group commit of 256
// deliveries is written in eight statements, and the statement texts the
// caches keep stay few (one per count up to this).
const rowsPerInsert = 32

// insertRowsTx writes deliveries and their first attempts, a few dozen
// rows a statement. out[i] is rows[i]'s delivery as written, or has ID 0
// when another delivery holds its dedupe key (nothing of it was written).
func (s *EventStore) insertRowsTx(ctx context.Context, tx *sql.Tx, rows []deliveryRow, now time.Time) ([]assessments.Delivery, error) {
	out := make([]assessments.Delivery, len(rows))
	for start := 0; start < len(rows); start += rowsPerInsert {
		chunk := rows[start:min(start+rowsPerInsert, len(rows))]
		ids, err := insertDeliveryChunk(ctx, tx, chunk, now)
		if err != nil {
			return nil, err
		}
		var written []int
		for i, r := range chunk {
			id, ok := ids[r.d.PublicID]
			if !ok {
				continue
			}
			d := r.d
			d.ID, d.HTTPStatus, d.ICIMSCode, d.CreatedAt, d.UpdatedAt = id, r.status, assessments.NoICIMSCode, now, now
			out[start+i] = d
			written = append(written, i)
		}
		if err := insertAttemptChunk(ctx, tx, chunk, written, ids, now); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// insertDeliveryChunk inserts the rows' deliveries in one statement and
// returns the ids of those written by public id: a row whose dedupe key
// another delivery holds is left out.
func insertDeliveryChunk(ctx context.Context, tx *sql.Tx, rows []deliveryRow, now time.Time) (map[string]int64, error) {
	const cols = `(tenant_id, public_id, direction, kind, status, workflow_id, person_id, job_id, invitation_id, rule_id,
		http_status, message, attempts, latency_ms, dedupe_key, redelivery_of, payload, location_sealed, created_at, updated_at)`
	args := make([]any, 0, 20*len(rows))
	for _, r := range rows {
		d := r.d
		args = append(args, d.TenantID, d.PublicID, string(d.Direction), d.Kind, string(d.Status), d.WorkflowID, d.PersonID,
			d.JobID, nullInt(d.InvitationID), nullInt(d.RuleID), r.status, d.Message, d.Attempts, d.LatencyMS,
			nullString(d.DedupeKey), nullInt(d.RedeliveryOf), r.payload, r.sealed, now, now)
	}
	q := `INSERT INTO deliveries ` + cols + ` VALUES ` + placeholders(len(rows), 20) + `
		ON CONFLICT (tenant_id, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
		RETURNING id, public_id`
	res, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("insert deliveries: %w", err)
	}
	defer res.Close()
	ids := make(map[string]int64, len(rows))
	for res.Next() {
		var id int64
		var publicID string
		if err := res.Scan(&id, &publicID); err != nil {
			return nil, fmt.Errorf("insert deliveries: %w", err)
		}
		ids[publicID] = id
	}
	if err := res.Err(); err != nil {
		return nil, fmt.Errorf("insert deliveries: %w", err)
	}
	return ids, nil
}

// insertAttemptChunk inserts the first attempts of rows[written...].
func insertAttemptChunk(ctx context.Context, tx *sql.Tx, rows []deliveryRow, written []int, ids map[string]int64, now time.Time) error {
	if len(written) == 0 {
		return nil
	}
	args := make([]any, 0, 11*len(written))
	for _, i := range written {
		r := rows[i]
		args = append(args, r.d.TenantID, ids[r.d.PublicID], 1, r.method, r.url, r.headers, r.body, r.status, r.response,
			r.d.LatencyMS, now)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO delivery_attempts (tenant_id, delivery_id, attempt, method, url,
			request_headers, request_body, response_status, response_body, latency_ms, created_at)
		VALUES `+placeholders(len(written), 11), args...)
	if err != nil {
		return fmt.Errorf("insert attempts: %w", err)
	}
	return nil
}

// placeholders is the VALUES list of n rows of width parameters each:
// "(?, ?), (?, ?)".
func placeholders(n, width int) string {
	return strings.TrimSuffix(strings.Repeat("("+paramList(width)+"), ", n), ", ")
}

// paramList is n parameters, as an IN list or a row holds them: "?, ?, ?".
func paramList(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// insertTx writes one delivery row and its first attempt: the request as
// received and the answer given. inserted is false, and nothing written,
// when another delivery holds the dedupe key.
func (s *EventStore) insertTx(ctx context.Context, tx *sql.Tx, a assessments.Acceptance) (assessments.Delivery, bool, error) {
	row, err := s.newDeliveryRow(a)
	if err != nil {
		return a.Delivery, false, err
	}
	out, err := s.insertRowsTx(ctx, tx, []deliveryRow{row}, s.clock.Now())
	if err != nil {
		return a.Delivery, false, err
	}
	if out[0].ID == 0 {
		return a.Delivery, false, nil
	}
	return out[0], true, nil
}
