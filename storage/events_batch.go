package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
)

// deliveriesPerRead bounds the ids one read of a batch's deliveries
// names; a group commit's batch is a few hundred.
const deliveriesPerRead = 500

// Deliveries reads the deliveries refs name, in one query per few hundred,
// so that a process_events batch does not cost a read per delivery. A
// delivery that is gone, or is not its ref's tenant's, is left out; the
// rest come in refs' order.
func (s *EventStore) Deliveries(ctx context.Context, refs []jobargs.DeliveryRef) ([]assessments.Delivery, error) {
	byID := make(map[int64]assessments.Delivery, len(refs))
	for start := 0; start < len(refs); start += deliveriesPerRead {
		chunk := refs[start:min(start+deliveriesPerRead, len(refs))]
		args := make([]any, len(chunk))
		for i, r := range chunk {
			args[i] = r.DeliveryID
		}
		rows, err := s.db.R.QueryContext(ctx, `SELECT `+deliveryColumns+` FROM deliveries WHERE id IN (`+paramList(len(chunk))+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("storage: deliveries: %w", err)
		}
		for rows.Next() {
			d, err := scanDelivery(rows)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("storage: deliveries: %w", err)
			}
			byID[d.ID] = d
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("storage: deliveries: %w", err)
		}
	}
	out := make([]assessments.Delivery, 0, len(refs))
	for _, r := range refs {
		if d, ok := byID[r.DeliveryID]; ok && d.TenantID == r.TenantID {
			out = append(out, d)
		}
	}
	return out, nil
}

// Defer records why deliveries wait (their outcomes) and inserts the jobs
// that go on with them later, in one transaction: a batch whose
// deliveries wait for their customer costs one write on the database's
// writer, not one or two per delivery. Like SetOutcome, an outcome with
// ExpectStatus changes its delivery only while it is in that status: one
// settled meanwhile keeps its outcome, and its job, finding it settled,
// does nothing. Any failure writes nothing, so the caller can run again.
func (s *EventStore) Defer(ctx context.Context, outcomes []assessments.Outcome, jobs []river.InsertManyParams) error {
	if len(outcomes) == 0 && len(jobs) == 0 {
		return nil
	}
	return wrapInternal("defer deliveries", s.db.tx(ctx, func(tx *sql.Tx) error {
		if err := s.expectedOutcomesTx(ctx, tx, outcomes); err != nil {
			return err
		}
		if len(jobs) == 0 {
			return nil
		}
		// The jobs are never unique, so River's fast insert, which reads
		// nothing back, will do.
		if _, err := s.db.jobs.InsertManyFastTx(ctx, tx, jobs); err != nil {
			return fmt.Errorf("queue deliveries: %w", err)
		}
		return nil
	}))
}

// outcomesPerUpdate bounds the rows of one multi-row UPDATE.
const outcomesPerUpdate = 64

// expectedOutcomesTx records outcomes a few dozen to a statement, each
// only while its delivery is in its ExpectStatus (every outcome must have
// one): a batch's waiting deliveries cost a statement, not one each.
func (s *EventStore) expectedOutcomesTx(ctx context.Context, tx *sql.Tx, outcomes []assessments.Outcome) error {
	const row = `(CAST(? AS BIGINT), CAST(? AS BIGINT), ?, ?, ?, CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT))`
	now := s.clock.Now()
	for start := 0; start < len(outcomes); start += outcomesPerUpdate {
		chunk := outcomes[start:min(start+outcomesPerUpdate, len(outcomes))]
		args := make([]any, 0, 8*len(chunk)+1)
		args = append(args, now)
		for _, o := range chunk {
			if o.ExpectStatus == "" {
				return fmt.Errorf("outcome of delivery %d without the status it expects", o.DeliveryID)
			}
			code, attempt := outcomeCounts(o)
			args = append(args, o.TenantID, o.DeliveryID, string(o.ExpectStatus), string(o.Status), o.Message, code, attempt,
				nullInt(o.RuleID))
		}
		// VALUES names its columns column1, column2, … in both SQLite
		// and PostgreSQL.
		_, err := tx.ExecContext(ctx, `UPDATE deliveries SET status = v.column4, message = v.column5,
				icims_code = v.column6, attempts = attempts + v.column7, rule_id = COALESCE(v.column8, rule_id), updated_at = ?
			FROM (VALUES `+strings.TrimSuffix(strings.Repeat(row+", ", len(chunk)), ", ")+`) AS v
			WHERE deliveries.tenant_id = v.column1 AND deliveries.id = v.column2 AND deliveries.status = v.column3`, args...)
		if err != nil {
			return fmt.Errorf("record outcomes: %w", err)
		}
	}
	return nil
}
