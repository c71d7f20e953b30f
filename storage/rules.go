package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/jobcannon/jobcannon/assessments"
)

// RuleStore keeps trigger rules and their audit trail.
type RuleStore struct {
	db    *DB
	clock assessments.Clock
	// The intake reads a tenant's rules for every event, and they rarely
	// change: they are kept for rulesTTL, and this store's own changes
	// drop them at once. gen makes a read that raced a change not keep
	// what it read.
	mu     sync.Mutex
	gen    uint64
	cached map[int64]cachedRules
}

// rulesTTL bounds how long a change made elsewhere (another instance of
// the service) takes to reach the intake.
const rulesTTL = time.Second

type cachedRules struct {
	rules []assessments.Rule
	at    time.Time
}

// NewRuleStore returns a RuleStore.
func NewRuleStore(db *DB, clock assessments.Clock) *RuleStore {
	return &RuleStore{db: db, clock: clock, cached: map[int64]cachedRules{}}
}

var _ assessments.RuleStore = (*RuleStore)(nil)

const ruleColumns = `id, tenant_id, name, mode, position, enabled, conditions, package_id, follow_up, created_at, updated_at`

func scanRule(row scanner) (assessments.Rule, error) {
	var r assessments.Rule
	var mode, conditions, followUp string
	err := row.Scan(&r.ID, &r.TenantID, &r.Name, &mode, &r.Position, &r.Enabled, &conditions, &r.PackageID, &followUp,
		&r.CreatedAt, &r.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return r, assessments.Errorf(assessments.ENOTFOUND, "Trigger rule not found.")
	} else if err != nil {
		return r, err
	}
	r.Mode = assessments.RuleMode(mode)
	if err := json.Unmarshal([]byte(conditions), &r.Conditions); err != nil {
		return r, fmt.Errorf("rule %d conditions: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(followUp), &r.FollowUp); err != nil {
		return r, fmt.Errorf("rule %d follow-up: %w", r.ID, err)
	}
	r.CreatedAt, r.UpdatedAt = utc(r.CreatedAt), utc(r.UpdatedAt)
	return r, nil
}

// Rules implements assessments.RuleStore. The slice is the caller's; the
// rules in it must not be changed in place.
func (s *RuleStore) Rules(ctx context.Context, tenantID int64) ([]assessments.Rule, error) {
	now := s.clock.Now()
	s.mu.Lock()
	c, ok := s.cached[tenantID]
	gen := s.gen
	s.mu.Unlock()
	if ok && !now.Before(c.at) && now.Sub(c.at) < rulesTTL {
		return slices.Clone(c.rules), nil
	}
	rules, err := s.load(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.gen == gen {
		s.cached[tenantID] = cachedRules{rules: rules, at: now}
	}
	s.mu.Unlock()
	return slices.Clone(rules), nil
}

// forget drops the cached rules after a change.
func (s *RuleStore) forget(tenantID int64) {
	s.mu.Lock()
	s.gen++
	delete(s.cached, tenantID)
	s.mu.Unlock()
}

func (s *RuleStore) load(ctx context.Context, tenantID int64) ([]assessments.Rule, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT `+ruleColumns+` FROM trigger_rules WHERE tenant_id = ? ORDER BY position, id`, tenantID)
	if err != nil {
		return nil, fmt.Errorf("storage: rules: %w", err)
	}
	defer rows.Close()
	var out []assessments.Rule
	for rows.Next() {
		r, err := scanRule(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: rules: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: rules: %w", err)
	}
	return out, nil
}

// Rule implements assessments.RuleStore.
func (s *RuleStore) Rule(ctx context.Context, tenantID, id int64) (assessments.Rule, error) {
	r, err := scanRule(s.db.R.QueryRowContext(ctx, `SELECT `+ruleColumns+` FROM trigger_rules WHERE tenant_id = ? AND id = ?`, tenantID, id))
	return r, wrapInternal("rule", err)
}

func (s *RuleStore) ruleTx(ctx context.Context, tx *sql.Tx, tenantID, id int64) (assessments.Rule, error) {
	return scanRule(tx.QueryRowContext(ctx, `SELECT `+ruleColumns+` FROM trigger_rules WHERE tenant_id = ? AND id = ?`, tenantID, id))
}

// SaveRule implements assessments.RuleStore.
func (s *RuleStore) SaveRule(ctx context.Context, by assessments.Actor, r assessments.Rule) (assessments.Rule, error) {
	r = r.Normalize()
	if err := r.Validate(); err != nil {
		return r, err
	}
	conditions, err := json.Marshal(r.Conditions)
	if err != nil {
		return r, fmt.Errorf("storage: save rule: %w", err)
	}
	followUp, err := json.Marshal(r.FollowUp)
	if err != nil {
		return r, fmt.Errorf("storage: save rule: %w", err)
	}
	now := s.clock.Now()
	var saved assessments.Rule
	err = s.db.tx(ctx, func(tx *sql.Tx) error {
		if r.ID == 0 {
			saved, err = scanRule(tx.QueryRowContext(ctx, `
				INSERT INTO trigger_rules (tenant_id, name, mode, position, enabled, conditions, package_id, follow_up, created_at, updated_at)
				VALUES (?, ?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM trigger_rules WHERE tenant_id = ?), ?, ?, ?, ?, ?, ?)
				RETURNING `+ruleColumns,
				r.TenantID, r.Name, string(r.Mode), r.TenantID, r.Enabled, string(conditions), r.PackageID, string(followUp), now, now))
			if err != nil {
				return err
			}
			return s.audit(ctx, tx, by, saved.TenantID, saved.ID, assessments.RuleCreated, nil, &saved)
		}
		before, err := s.ruleTx(ctx, tx, r.TenantID, r.ID)
		if err != nil {
			return err
		}
		saved, err = scanRule(tx.QueryRowContext(ctx, `
			UPDATE trigger_rules SET name = ?, mode = ?, enabled = ?, conditions = ?, package_id = ?, follow_up = ?, updated_at = ?
			WHERE tenant_id = ? AND id = ?
			RETURNING `+ruleColumns,
			r.Name, string(r.Mode), r.Enabled, string(conditions), r.PackageID, string(followUp), now, r.TenantID, r.ID))
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, by, saved.TenantID, saved.ID, assessments.RuleUpdated, &before, &saved)
	})
	s.forget(r.TenantID)
	return saved, wrapInternal("save rule", err)
}

// SetRuleEnabled implements assessments.RuleStore.
func (s *RuleStore) SetRuleEnabled(ctx context.Context, by assessments.Actor, tenantID, id int64, enabled bool) error {
	action := assessments.RuleDisabled
	if enabled {
		action = assessments.RuleEnabled
	}
	return wrapInternal("switch rule", s.change(ctx, by, tenantID, id, action, func(tx *sql.Tx, r assessments.Rule) error {
		_, err := tx.ExecContext(ctx, `UPDATE trigger_rules SET enabled = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
			enabled, s.clock.Now(), tenantID, id)
		return err
	}))
}

// MoveRule implements assessments.RuleStore. Positions are renumbered 1..n
// on every move, so gaps and ties left by deletions never matter.
func (s *RuleStore) MoveRule(ctx context.Context, by assessments.Actor, tenantID, id int64, delta int) error {
	return wrapInternal("move rule", s.change(ctx, by, tenantID, id, assessments.RuleMoved, func(tx *sql.Tx, r assessments.Rule) error {
		rows, err := tx.QueryContext(ctx, `SELECT id FROM trigger_rules WHERE tenant_id = ? ORDER BY position, id`, tenantID)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var v int64
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		i := indexOf(ids, id)
		j := i + 1
		if delta < 0 {
			j = i - 1
		}
		if j < 0 || j >= len(ids) {
			return nil // already first or last: nothing moves
		}
		ids[i], ids[j] = ids[j], ids[i]
		for pos, v := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE trigger_rules SET position = ? WHERE tenant_id = ? AND id = ?`, pos+1, tenantID, v); err != nil {
				return err
			}
		}
		return nil
	}))
}

func indexOf(ids []int64, id int64) int {
	for i, v := range ids {
		if v == id {
			return i
		}
	}
	return -1
}

// DeleteRule implements assessments.RuleStore.
func (s *RuleStore) DeleteRule(ctx context.Context, by assessments.Actor, tenantID, id int64) error {
	defer s.forget(tenantID)
	return wrapInternal("delete rule", s.db.tx(ctx, func(tx *sql.Tx) error {
		before, err := s.ruleTx(ctx, tx, tenantID, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM trigger_rules WHERE tenant_id = ? AND id = ?`, tenantID, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, tenantID, id, assessments.RuleDeleted, &before, nil)
	}))
}

// change runs fn on an existing rule and audits the rule before and after.
func (s *RuleStore) change(ctx context.Context, by assessments.Actor, tenantID, id int64, action string, fn func(*sql.Tx, assessments.Rule) error) error {
	defer s.forget(tenantID)
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		before, err := s.ruleTx(ctx, tx, tenantID, id)
		if err != nil {
			return err
		}
		if err := fn(tx, before); err != nil {
			return err
		}
		after, err := s.ruleTx(ctx, tx, tenantID, id)
		if err != nil {
			return err
		}
		b, err1 := auditJSON(&before)
		a, err2 := auditJSON(&after)
		if err1 == nil && err2 == nil && a == b {
			return nil // nothing changed (a first rule moved up): nothing to audit
		}
		return s.audit(ctx, tx, by, tenantID, id, action, &before, &after)
	})
}

// auditedRule is what the trail keeps of a rule: everything an admin can
// change, without bookkeeping times.
type auditedRule struct {
	Name       string                     `json:"name"`
	Mode       assessments.RuleMode       `json:"mode"`
	Position   int                        `json:"position"`
	Enabled    bool                       `json:"enabled"`
	Conditions assessments.RuleConditions `json:"conditions"`
	PackageID  int64                      `json:"package_id"`
	FollowUp   assessments.FollowUp       `json:"follow_up"`
}

func auditJSON(r *assessments.Rule) (string, error) {
	if r == nil {
		return "", nil
	}
	b, err := json.Marshal(auditedRule{Name: r.Name, Mode: r.Mode, Position: r.Position, Enabled: r.Enabled,
		Conditions: r.Conditions, PackageID: r.PackageID, FollowUp: r.FollowUp})
	return string(b), err
}

func (s *RuleStore) audit(ctx context.Context, tx *sql.Tx, by assessments.Actor, tenantID, ruleID int64, action string, before, after *assessments.Rule) error {
	b, err := auditJSON(before)
	if err != nil {
		return err
	}
	a, err := auditJSON(after)
	if err != nil {
		return err
	}
	var adminID any
	if by.AdminID != 0 {
		adminID = by.AdminID
	}
	actor := by.Email
	if actor == "" {
		actor = "system"
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO trigger_rule_audit (tenant_id, rule_id, admin_id, actor, action, before, after, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, tenantID, ruleID, adminID, actor, action, b, a, s.clock.Now())
	if err != nil {
		return fmt.Errorf("audit rule: %w", err)
	}
	return nil
}

// RuleAudit implements assessments.RuleStore, newest first.
func (s *RuleStore) RuleAudit(ctx context.Context, tenantID, ruleID int64) ([]assessments.RuleChange, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT id, rule_id, actor, action, before, after, at FROM trigger_rule_audit
		WHERE tenant_id = ? AND rule_id = ? ORDER BY id DESC`, tenantID, ruleID)
	if err != nil {
		return nil, fmt.Errorf("storage: rule audit: %w", err)
	}
	defer rows.Close()
	var out []assessments.RuleChange
	for rows.Next() {
		var c assessments.RuleChange
		if err := rows.Scan(&c.ID, &c.RuleID, &c.Actor, &c.Action, &c.Before, &c.After, &c.At); err != nil {
			return nil, fmt.Errorf("storage: rule audit: %w", err)
		}
		c.At = utc(c.At)
		out = append(out, c)
	}
	return out, rows.Err()
}
