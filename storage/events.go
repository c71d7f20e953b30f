package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
	"github.com/jobcannon/jobcannon/secrets"
)

// EventStore records event deliveries, their attempts and outcomes, and
// creates the invitations they ask for. Each change queues its next job in
// its own transaction: an accepted batch its process_events job, a new
// invitation its send_invitation job.
//
// Accept group-commits: requests that arrive while a transaction is being
// written wait and are then written together in the next one, with their
// jobs inserted in a single batch. SQLite has one writer and each commit
// costs a write to the WAL, so under load one commit carries many events
// and each request still gets its answer only after its own rows are
// durable.
type EventStore struct {
	db          *DB
	keys        *secrets.Keyring
	clock       assessments.Clock
	invitations *InvitationStore

	// MaxBatch caps how many deliveries one transaction carries.
	MaxBatch int

	mu       sync.Mutex
	pending  []*pendingAccept
	commitMu sync.Mutex
}

// NewEventStore returns an EventStore. keys seals the Location of 303
// answers, which can hold a candidate token.
func NewEventStore(db *DB, keys *secrets.Keyring, clock assessments.Clock, invitations *InvitationStore) *EventStore {
	return &EventStore{db: db, keys: keys, clock: clock, invitations: invitations, MaxBatch: 256}
}

var _ assessments.EventStore = (*EventStore)(nil)

type pendingAccept struct {
	acc  assessments.Acceptance
	row  deliveryRow
	res  assessments.Accepted
	err  error
	done bool
}

// commitTimeout bounds one group commit; it does not depend on any one
// request's context, since the batch belongs to many requests.
const commitTimeout = 15 * time.Second

// Accept implements assessments.EventStore.
func (s *EventStore) Accept(ctx context.Context, a assessments.Acceptance) (assessments.Accepted, error) {
	row, err := s.newDeliveryRow(a)
	if err != nil {
		return assessments.Accepted{}, fmt.Errorf("storage: accept delivery: %w", err)
	}
	p := &pendingAccept{acc: a, row: row}
	s.mu.Lock()
	s.pending = append(s.pending, p)
	s.mu.Unlock()

	// Whoever holds commitMu writes everything queued so far. A request
	// whose delivery a previous holder already wrote finds it done.
	s.commitMu.Lock()
	defer s.commitMu.Unlock()
	for {
		s.mu.Lock()
		done := p.done
		batch := s.pending
		if len(batch) > s.MaxBatch {
			batch = batch[:s.MaxBatch]
		}
		if !done {
			s.pending = s.pending[len(batch):]
		}
		s.mu.Unlock()
		if done {
			return p.res, p.err
		}
		s.commit(context.WithoutCancel(ctx), batch)
	}
}

// commit writes a batch in one transaction and settles each of its
// requests. Any failure rolls the whole batch back and fails every request
// in it: none of them was recorded, so iCIMS is told to try again.
func (s *EventStore) commit(ctx context.Context, batch []*pendingAccept) {
	ctx, cancel := context.WithTimeout(ctx, commitTimeout)
	defer cancel()
	results := make([]assessments.Accepted, len(batch))
	err := s.commitTx(ctx, batch, results)
	if err != nil {
		err = fmt.Errorf("storage: accept deliveries: %w", err)
	}
	s.mu.Lock()
	for i, p := range batch {
		p.res, p.err, p.done = results[i], err, true
		if err != nil {
			p.res = assessments.Accepted{}
		}
	}
	s.mu.Unlock()
}

func (s *EventStore) commitTx(ctx context.Context, batch []*pendingAccept, results []assessments.Accepted) error {
	rows := make([]deliveryRow, len(batch))
	for i, p := range batch {
		rows[i] = p.row
	}
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		now := s.clock.Now()
		inserted, err := s.insertRowsTx(ctx, tx, rows, now)
		if err != nil {
			return err
		}
		var queued []assessments.Delivery
		for i, p := range batch {
			res := assessments.Accepted{Delivery: inserted[i], Answer: p.acc.Answer}
			if res.Delivery.ID == 0 {
				// Another delivery holds the body's dedupe key: a
				// redelivery, or a new delivery after the window.
				if res, err = s.acceptTx(ctx, tx, p.acc); err != nil {
					return err
				}
			}
			results[i] = res
			if p.acc.Process && !res.Redelivery {
				queued = append(queued, res.Delivery)
			}
		}
		return s.queueProcessingTx(ctx, tx, queued)
	})
}

// acceptTx records one delivery, or the redelivery of an earlier one. The
// common case, a new body, costs one insert: the unique dedupe key finds
// an earlier delivery, which is then looked at.
func (s *EventStore) acceptTx(ctx context.Context, tx *sql.Tx, a assessments.Acceptance) (assessments.Accepted, error) {
	for range 2 {
		d, inserted, err := s.insertTx(ctx, tx, a)
		if err != nil || inserted {
			return assessments.Accepted{Delivery: d, Answer: a.Answer}, err
		}
		res, ok, err := s.redeliveryTx(ctx, tx, a)
		if err != nil || ok {
			return res, err
		}
		// The earlier delivery was past the window and gave up its key.
	}
	return assessments.Accepted{}, fmt.Errorf("dedupe key %s is still taken", a.Delivery.DedupeKey)
}

// redeliveryTx records a as a redelivery when an earlier delivery of the
// same body is within the window, and returns that delivery's answer. An
// earlier one past the window gives up its key so a new one can take it.
func (s *EventStore) redeliveryTx(ctx context.Context, tx *sql.Tx, a assessments.Acceptance) (assessments.Accepted, bool, error) {
	d := a.Delivery
	if d.DedupeKey == "" {
		return assessments.Accepted{}, false, nil
	}
	first, answer, found, err := s.answerByKey(ctx, tx, d.TenantID, d.DedupeKey)
	if err != nil || !found {
		return assessments.Accepted{}, false, err
	}
	if first.CreatedAt.Before(a.Since) {
		_, err := tx.ExecContext(ctx, `UPDATE deliveries SET dedupe_key = NULL WHERE tenant_id = ? AND id = ?`, d.TenantID, first.ID)
		return assessments.Accepted{}, false, err
	}
	re := a
	re.Delivery.Status = assessments.DeliveryDuplicate
	re.Delivery.DedupeKey = ""
	re.Delivery.RedeliveryOf = first.ID
	re.Delivery.RuleID, re.Delivery.InvitationID = first.RuleID, first.InvitationID
	re.Delivery.Message = fmt.Sprintf("Redelivery of delivery %d, answered as the first time; nothing was done again.", first.ID)
	re.Answer = answer
	row, _, err := s.insertTx(ctx, tx, re)
	if err != nil {
		return assessments.Accepted{}, false, err
	}
	return assessments.Accepted{Delivery: row, Answer: answer, Redelivery: true}, true, nil
}

// answerByKey finds the delivery holding a dedupe key and the answer it got.
func (s *EventStore) answerByKey(ctx context.Context, q querier, tenantID int64, key string) (assessments.Delivery, assessments.EventAnswer, bool, error) {
	d, err := scanDelivery(q.QueryRowContext(ctx, `SELECT `+deliveryColumns+` FROM deliveries WHERE tenant_id = ? AND dedupe_key = ?`,
		tenantID, key))
	if assessments.ErrorCode(err) == assessments.ENOTFOUND {
		return d, assessments.EventAnswer{}, false, nil
	} else if err != nil {
		return d, assessments.EventAnswer{}, false, err
	}
	answer, err := s.answerOf(ctx, q, d)
	return d, answer, err == nil, err
}

// answerOf rebuilds the answer a delivery got from its first attempt and
// its sealed Location.
func (s *EventStore) answerOf(ctx context.Context, q querier, d assessments.Delivery) (assessments.EventAnswer, error) {
	var status int
	var body, sealed string
	err := q.QueryRowContext(ctx, `SELECT a.response_status, a.response_body, d.location_sealed
		FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id
		WHERE a.tenant_id = ? AND a.delivery_id = ? ORDER BY a.attempt LIMIT 1`, d.TenantID, d.ID).Scan(&status, &body, &sealed)
	if err != nil {
		return assessments.EventAnswer{}, fmt.Errorf("answer of delivery %d: %w", d.ID, err)
	}
	answer, err := assessments.ParseEventAnswer(status, []byte(body))
	if err != nil {
		return answer, fmt.Errorf("answer of delivery %d: %w", d.ID, err)
	}
	if sealed != "" {
		loc, err := s.keys.Open(sealed, locationContext(d.PublicID))
		if err != nil {
			return answer, fmt.Errorf("answer of delivery %d: location: %w", d.ID, err)
		}
		answer.Location = string(loc)
	}
	return answer, nil
}

func locationContext(publicID string) string { return "delivery:" + publicID + ":location" }

func nullInt(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// querier is what both *sql.DB and *sql.Tx offer for reads.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

const deliveryColumns = `id, tenant_id, public_id, direction, kind, status, workflow_id, person_id, job_id,
	COALESCE(invitation_id, 0), COALESCE(rule_id, 0), http_status, COALESCE(icims_code, -1), message, attempts,
	latency_ms, COALESCE(dedupe_key, ''), COALESCE(redelivery_of, 0), payload, created_at, updated_at`

func scanDelivery(row scanner) (assessments.Delivery, error) {
	var d assessments.Delivery
	var direction, status, payload string
	err := row.Scan(&d.ID, &d.TenantID, &d.PublicID, &direction, &d.Kind, &status, &d.WorkflowID, &d.PersonID, &d.JobID,
		&d.InvitationID, &d.RuleID, &d.HTTPStatus, &d.ICIMSCode, &d.Message, &d.Attempts, &d.LatencyMS, &d.DedupeKey,
		&d.RedeliveryOf, &payload, &d.CreatedAt, &d.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return d, assessments.Errorf(assessments.ENOTFOUND, "Delivery not found.")
	} else if err != nil {
		return d, err
	}
	d.Direction, d.Status = assessments.Direction(direction), assessments.DeliveryStatus(status)
	if err := json.Unmarshal([]byte(payload), &d.Event); err != nil {
		return d, fmt.Errorf("delivery %d payload: %w", d.ID, err)
	}
	d.CreatedAt, d.UpdatedAt = utc(d.CreatedAt), utc(d.UpdatedAt)
	return d, nil
}

// Redelivery implements assessments.EventStore.
func (s *EventStore) Redelivery(ctx context.Context, tenantID int64, key string, since time.Time) (assessments.EventAnswer, bool, error) {
	d, answer, found, err := s.answerByKey(ctx, s.db.R, tenantID, key)
	if err != nil {
		return answer, false, fmt.Errorf("storage: redelivery: %w", err)
	}
	if !found || d.CreatedAt.Before(since) {
		return assessments.EventAnswer{}, false, nil
	}
	return answer, true, nil
}

// LivePackages implements assessments.EventStore.
func (s *EventStore) LivePackages(ctx context.Context, tenantID int64, workflowID string) ([]int64, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT DISTINCT package_id FROM invitations
		WHERE tenant_id = ? AND workflow_id = ? AND status NOT IN ('completed', 'expired', 'cancelled')`, tenantID, workflowID)
	if err != nil {
		return nil, fmt.Errorf("storage: live packages: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("storage: live packages: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// Unprocessed returns the ids of the tenant's inbound deliveries that still
// wait for their processing, oldest first: after a re-authorization they
// are processed at once rather than at their job's next look.
func (s *EventStore) Unprocessed(ctx context.Context, tenantID int64) ([]int64, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT id FROM deliveries
		WHERE tenant_id = ? AND direction = 'inbound' AND status = 'received' ORDER BY id`, tenantID)
	if err != nil {
		return nil, fmt.Errorf("storage: unprocessed deliveries: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("storage: unprocessed deliveries: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// Delivery implements assessments.EventStore.
func (s *EventStore) Delivery(ctx context.Context, tenantID, id int64) (assessments.Delivery, error) {
	d, err := scanDelivery(s.db.R.QueryRowContext(ctx, `SELECT `+deliveryColumns+` FROM deliveries WHERE tenant_id = ? AND id = ?`, tenantID, id))
	return d, wrapInternal("delivery", err)
}

// DeliveryByPublicID implements assessments.EventStore.
func (s *EventStore) DeliveryByPublicID(ctx context.Context, publicID string) (assessments.Delivery, error) {
	d, err := scanDelivery(s.db.R.QueryRowContext(ctx, `SELECT `+deliveryColumns+` FROM deliveries WHERE public_id = ?`, publicID))
	return d, wrapInternal("delivery", err)
}

// Attempts implements assessments.EventStore.
func (s *EventStore) Attempts(ctx context.Context, tenantID, deliveryID int64) ([]assessments.DeliveryAttempt, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT id, delivery_id, attempt, method, url, request_headers, request_body,
			response_status, response_body, error, latency_ms, created_at
		FROM delivery_attempts WHERE tenant_id = ? AND delivery_id = ? ORDER BY attempt, id`, tenantID, deliveryID)
	if err != nil {
		return nil, fmt.Errorf("storage: delivery attempts: %w", err)
	}
	defer rows.Close()
	var out []assessments.DeliveryAttempt
	for rows.Next() {
		var a assessments.DeliveryAttempt
		var headers string
		if err := rows.Scan(&a.ID, &a.DeliveryID, &a.N, &a.Method, &a.URL, &headers, &a.RequestBody, &a.ResponseStatus,
			&a.ResponseBody, &a.Error, &a.LatencyMS, &a.CreatedAt); err != nil {
			return nil, fmt.Errorf("storage: delivery attempts: %w", err)
		}
		if err := json.Unmarshal([]byte(headers), &a.RequestHeaders); err != nil {
			return nil, fmt.Errorf("storage: delivery attempts: headers: %w", err)
		}
		a.CreatedAt = utc(a.CreatedAt)
		out = append(out, a)
	}
	return out, rows.Err()
}

// queueProcessingTx queues the processing of one group commit's deliveries
// as a single process_events job: inserting one row, whatever the batch's
// size, is what keeps the intake's transaction short.
func (s *EventStore) queueProcessingTx(ctx context.Context, tx *sql.Tx, deliveries []assessments.Delivery) error {
	if len(deliveries) == 0 {
		return nil
	}
	refs := make([]jobargs.DeliveryRef, len(deliveries))
	for i, d := range deliveries {
		refs[i] = jobargs.DeliveryRef{TenantID: d.TenantID, DeliveryID: d.ID}
	}
	// The job is never unique, so River's fast insert, which skips the
	// unique bookkeeping and reads nothing back, will do: it runs while
	// iCIMS waits for the answer.
	// Its priority keeps a quiet customer's events ahead of a bulk move's
	// (see jobShares).
	params := []river.InsertManyParams{{Args: jobargs.ProcessEventsArgs{Deliveries: refs},
		InsertOpts: &river.InsertOpts{Priority: s.db.processingPriority(deliveries, s.clock.Now())}}}
	if _, err := s.db.jobs.InsertManyFastTx(ctx, tx, params); err != nil {
		return fmt.Errorf("queue processing: %w", err)
	}
	return nil
}
