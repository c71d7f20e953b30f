package storage

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jobcannon/jobcannon/assessments"
)

// LogStore reads the webhook logs page's data: deliveries with their
// candidate and job names, day counts and today's calls. Pages are keyset
// pages in (created_at, id) order, so the thousandth page costs what the
// first does.
type LogStore struct {
	db *DB
}

// NewLogStore returns a LogStore.
func NewLogStore(db *DB) *LogStore { return &LogStore{db: db} }

var _ assessments.LogStore = (*LogStore)(nil)

// logColumns are deliveryColumns on the alias d, then what the page adds:
// the invitation's candidate and job, when retention purged the row, and
// the newest attempt (la), whose outcome the page shows.
const logColumns = `d.id, d.tenant_id, d.public_id, d.direction, d.kind, d.status, d.workflow_id, d.person_id, d.job_id,
	COALESCE(d.invitation_id, 0), COALESCE(d.rule_id, 0), d.http_status, COALESCE(d.icims_code, -1), d.message, d.attempts,
	d.latency_ms, COALESCE(d.dedupe_key, ''), COALESCE(d.redelivery_of, 0), d.payload, d.created_at, d.updated_at,
	COALESCE(i.candidate_first_name, ''), COALESCE(i.candidate_last_name, ''), COALESCE(i.job_title, ''), d.purged_at,
	COALESCE(la.attempt, 0), COALESCE(la.response_status, 0), COALESCE(la.error, ''), la.created_at`

// logJoins add to a delivery (d) its invitation and its newest attempt,
// found through delivery_attempts_delivery: one index probe per row of the
// page.
const logJoins = ` LEFT JOIN invitations i ON i.id = d.invitation_id AND i.tenant_id = d.tenant_id
	LEFT JOIN delivery_attempts la ON la.id = (SELECT a.id FROM delivery_attempts a WHERE a.delivery_id = d.id
		ORDER BY a.attempt DESC LIMIT 1)`

// logFrom reads deliveries with their joins.
const logFrom = ` FROM deliveries d` + logJoins

// subjectFrom reads only the deliveries of one subject (the placeholders:
// tenant, subject, tenant, subject, subject, tenant): the ids from the
// workflow and person indexes and the event id's unique index, each
// delivery then by its primary key. An OR of the columns would walk every
// row of the tenant, and so would walking the page's index in order while
// testing each id against the list: a subject has a few deliveries among
// the tenant's millions, and sorting those few costs less. UNION, not
// UNION ALL: a delivery whose workflow and person ids are both the subject
// is listed once. CROSS JOIN keeps SQLite reading the list first (left of a
// CROSS JOIN is its outer loop), where it would otherwise walk the page's
// index to spare the sort; PostgreSQL reads it as a plain join. The join's
// condition is the first of the WHERE clause (subjectJoin).
const subjectFrom = ` FROM (SELECT id FROM deliveries WHERE tenant_id = ? AND workflow_id = ?
		UNION SELECT id FROM deliveries WHERE tenant_id = ? AND person_id = ?
		UNION SELECT id FROM deliveries WHERE public_id = ? AND tenant_id = ?) s
	CROSS JOIN deliveries d` + logJoins

// subjectJoin joins subjectFrom's list to its deliveries.
const subjectJoin = "d.id = s.id"

// extraScanner lets scanDelivery read the delivery's columns while the
// columns after them land in extra.
type extraScanner struct {
	row   scanner
	extra []any
}

func (s extraScanner) Scan(dest ...any) error { return s.row.Scan(append(dest, s.extra...)...) }

func scanLogEntry(row scanner) (assessments.LogEntry, error) {
	var first, last, title string
	var purged, latestAt sql.NullTime
	var latest assessments.LatestAttempt
	d, err := scanDelivery(extraScanner{row: row, extra: []any{&first, &last, &title, &purged,
		&latest.N, &latest.Status, &latest.Error, &latestAt}})
	if err != nil {
		return assessments.LogEntry{}, err
	}
	latest.At = utc(latestAt.Time)
	e := assessments.LogEntry{Delivery: d, JobTitle: title, PurgedAt: utc(purged.Time), Latest: latest}
	e.CandidateName = assessments.Invitation{CandidateFirstName: first, CandidateLastName: last}.CandidateName()
	return e, nil
}

// LogEntry implements assessments.LogStore.
func (s *LogStore) LogEntry(ctx context.Context, tenantID, id int64) (assessments.LogEntry, error) {
	e, err := scanLogEntry(s.db.R.QueryRowContext(ctx, `SELECT `+logColumns+logFrom+` WHERE d.tenant_id = ? AND d.id = ?`,
		tenantID, id))
	return e, wrapInternal("log entry", err)
}

// LogPage implements assessments.LogStore.
func (s *LogStore) LogPage(ctx context.Context, tenantID int64, f assessments.LogFilter) (assessments.LogPage, error) {
	query, args := logQuery(tenantID, f)
	rows, err := s.db.R.QueryContext(ctx, query, args...)
	if err != nil {
		return assessments.LogPage{}, fmt.Errorf("storage: log page: %w", err)
	}
	defer rows.Close()
	var page assessments.LogPage
	for rows.Next() {
		e, err := scanLogEntry(rows)
		if err != nil {
			return assessments.LogPage{}, fmt.Errorf("storage: log page: %w", err)
		}
		page.Entries = append(page.Entries, e)
	}
	if err := rows.Err(); err != nil {
		return assessments.LogPage{}, fmt.Errorf("storage: log page: %w", err)
	}
	// One row more than the page was asked for says there is another page
	// in the direction of travel.
	more := len(page.Entries) > f.Limit
	if more {
		page.Entries = page.Entries[:f.Limit]
	}
	if f.After != 0 {
		slices.Reverse(page.Entries)
	}
	if n := len(page.Entries); n > 0 {
		newest, oldest := page.Entries[0].ID, page.Entries[n-1].ID
		switch {
		case f.After != 0:
			page.Older = oldest
			if more {
				page.Newer = newest
			}
		default:
			if more {
				page.Older = oldest
			}
			if f.Before != 0 {
				page.Newer = newest
			}
		}
	}
	return page, nil
}

// logQuery builds a page's query. Deliveries are in (created_at, id)
// order, not id order: on PostgreSQL with several instances a sequence
// hands ids out at INSERT while rows commit later and in another order,
// and each instance stamps created_at with its own clock, so ids follow
// neither. created_at is the time the page shows; the id only breaks ties.
//
// Every filter is an equality on a column that one of the deliveries
// indexes starts with, after tenant_id and before (created_at, id), so the
// database walks that index in page order and stops after the page: a
// deep page costs what the first one does, and a date range is a range of
// the same index. The candidate filter is the exception (subjectFrom).
//
// A cursor is a delivery id, as the page's links carry it; the query
// reads that delivery's created_at itself, so the comparison is against
// the stored value, never a copy that went through a URL.
func logQuery(tenantID int64, f assessments.LogFilter) (string, []any) {
	where := []string{"d.tenant_id = ?"}
	args := []any{tenantID}
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	if f.Direction != "" {
		add("d.direction = ?", string(f.Direction))
	}
	if f.Kind != "" {
		add("d.kind = ?", f.Kind)
	}
	if status, ok := f.Result.Status(); ok {
		add("d.status = ?", string(status))
	}
	if !f.From.IsZero() {
		add("d.created_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		add("d.created_at < ?", f.To.UTC())
	}
	order := "DESC"
	switch {
	case f.Before != 0:
		add("(d.created_at, d.id) < ("+cursorSQL+")", tenantID, f.Before)
	case f.After != 0:
		add("(d.created_at, d.id) > ("+cursorSQL+")", tenantID, f.After)
		order = "ASC"
	}
	args = append(args, f.Limit+1)
	from := logFrom
	if f.Subject != "" {
		from = subjectFrom
		where = append([]string{subjectJoin}, where...)
		args = append([]any{tenantID, f.Subject, tenantID, f.Subject, f.Subject, tenantID}, args...)
	}
	return `SELECT ` + logColumns + from + ` WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY d.created_at ` + order + `, d.id ` + order + ` LIMIT ?`, args
}

// cursorSQL reads a cursor delivery's place in the page order. Scoped by
// tenant, so another tenant's id matches nothing.
const cursorSQL = `SELECT c.created_at, c.id FROM deliveries c WHERE c.tenant_id = ? AND c.id = ?`

// DayCounts implements assessments.LogStore, from the delivery_days
// counts that triggers keep (in shards, added up here).
func (s *LogStore) DayCounts(ctx context.Context, tenantID int64, since time.Time) ([]assessments.DayCount, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT day, SUM(total), SUM(failed) FROM delivery_days
		WHERE tenant_id = ? AND day >= ? GROUP BY day ORDER BY day`, tenantID, since.UTC().Format(time.DateOnly))
	if err != nil {
		return nil, fmt.Errorf("storage: day counts: %w", err)
	}
	defer rows.Close()
	var out []assessments.DayCount
	for rows.Next() {
		var day string
		var c assessments.DayCount
		if err := rows.Scan(&day, &c.Total, &c.Failed); err != nil {
			return nil, fmt.Errorf("storage: day counts: %w", err)
		}
		if c.Day, err = time.Parse(time.DateOnly, day); err != nil {
			return nil, fmt.Errorf("storage: day counts: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CallsSince implements assessments.LogStore: the HTTP tries of outbound
// deliveries other than e-mail, each a request on iCIMS's quota.
func (s *LogStore) CallsSince(ctx context.Context, tenantID int64, t time.Time) (int, error) {
	var n int
	err := s.db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM delivery_attempts a
		JOIN deliveries d ON d.id = a.delivery_id
		WHERE a.tenant_id = ? AND a.created_at >= ? AND d.direction = 'outbound' AND d.kind != ?`,
		tenantID, t.UTC(), assessments.DeliveryKindEmail).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("storage: calls since: %w", err)
	}
	return n, nil
}
