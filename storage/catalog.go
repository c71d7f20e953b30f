package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/jobcannon/jobcannon/assessments"
)

// CatalogStore keeps each tenant's assessment packages.
type CatalogStore struct {
	db    *DB
	clock assessments.Clock
}

// NewCatalogStore returns a CatalogStore.
func NewCatalogStore(db *DB, clock assessments.Clock) *CatalogStore {
	return &CatalogStore{db: db, clock: clock}
}

var _ assessments.CatalogStore = (*CatalogStore)(nil)

const packageColumns = `id, tenant_id, name, instrument_ids, assessment_type_id, assessment_type_name, assessment_list, enabled,
	time_limit_minutes, expiry_days, reminder_days, profile, thresholds, scorecard, language, created_at, updated_at`

func scanPackage(row scanner) (assessments.Package, error) {
	var p assessments.Package
	var insts, reminders, profile, thresholds, scorecard string
	err := row.Scan(&p.ID, &p.TenantID, &p.Name, &insts, &p.AssessmentTypeID, &p.AssessmentTypeName, &p.AssessmentList, &p.Enabled,
		&p.TimeLimitMinutes, &p.ExpiryDays, &reminders, &profile, &thresholds, &scorecard, &p.Language, &p.CreatedAt, &p.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return p, assessments.Errorf(assessments.ENOTFOUND, "Assessment package not found.")
	} else if err != nil {
		return p, err
	}
	for _, f := range []struct {
		raw string
		dst any
	}{{insts, &p.InstrumentIDs}, {reminders, &p.ReminderDays}, {profile, &p.Profile}, {thresholds, &p.Thresholds}, {scorecard, &p.Scorecard}} {
		if err := json.Unmarshal([]byte(f.raw), f.dst); err != nil {
			return p, fmt.Errorf("decode package %d: %w", p.ID, err)
		}
	}
	p.CreatedAt, p.UpdatedAt = utc(p.CreatedAt), utc(p.UpdatedAt)
	return p.WithDefaults(), nil
}

// Packages implements assessments.CatalogStore.
func (s *CatalogStore) Packages(ctx context.Context, tenantID int64) ([]assessments.Package, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT `+packageColumns+` FROM packages WHERE tenant_id = ? ORDER BY name, id`, tenantID)
	if err != nil {
		return nil, fmt.Errorf("storage: list packages: %w", err)
	}
	defer rows.Close()
	var out []assessments.Package
	for rows.Next() {
		p, err := scanPackage(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: list packages: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Package implements assessments.CatalogStore.
func (s *CatalogStore) Package(ctx context.Context, tenantID, id int64) (assessments.Package, error) {
	return s.one(ctx, `SELECT `+packageColumns+` FROM packages WHERE tenant_id = ? AND id = ?`, tenantID, id)
}

// PackageByAssessmentType implements assessments.CatalogStore.
func (s *CatalogStore) PackageByAssessmentType(ctx context.Context, tenantID int64, typeID string) (assessments.Package, error) {
	return s.one(ctx, `SELECT `+packageColumns+` FROM packages WHERE tenant_id = ? AND assessment_type_id = ?`, tenantID, typeID)
}

func (s *CatalogStore) one(ctx context.Context, query string, args ...any) (assessments.Package, error) {
	p, err := scanPackage(s.db.R.QueryRowContext(ctx, query, args...))
	if err != nil && assessments.ErrorCode(err) != assessments.ENOTFOUND {
		return p, fmt.Errorf("storage: get package: %w", err)
	}
	return p, err
}

// SavePackage implements assessments.CatalogStore.
func (s *CatalogStore) SavePackage(ctx context.Context, lib *assessments.Library, p assessments.Package) (assessments.Package, error) {
	p.Name = strings.TrimSpace(p.Name)
	p = p.WithDefaults()
	if err := p.Validate(lib); err != nil {
		return p, err
	}
	enc := func(v any) string {
		b, _ := json.Marshal(v) // plain structs, maps and slices: cannot fail
		return string(b)
	}
	insts, reminders, profile, thresholds, scorecard := enc(p.InstrumentIDs), enc(nonNil(p.ReminderDays)), enc(p.Profile), enc(p.Thresholds), enc(nonNil(p.Scorecard))
	now := s.clock.Now()
	var row *sql.Row
	var saved assessments.Package
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		if err := s.checkUnique(ctx, tx, p); err != nil {
			return err
		}
		if p.ID == 0 {
			row = tx.QueryRowContext(ctx, `
				INSERT INTO packages (tenant_id, name, instrument_ids, assessment_type_id, assessment_type_name, assessment_list, enabled,
					time_limit_minutes, expiry_days, reminder_days, profile, thresholds, scorecard, language, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				RETURNING `+packageColumns,
				p.TenantID, p.Name, insts, p.AssessmentTypeID, p.AssessmentTypeName, p.AssessmentList, p.Enabled,
				p.TimeLimitMinutes, p.ExpiryDays, reminders, profile, thresholds, scorecard, p.Language, now, now)
		} else {
			row = tx.QueryRowContext(ctx, `
				UPDATE packages SET name = ?, instrument_ids = ?, assessment_type_id = ?, assessment_type_name = ?,
					assessment_list = ?, enabled = ?, time_limit_minutes = ?, expiry_days = ?, reminder_days = ?, profile = ?,
					thresholds = ?, scorecard = ?, language = ?, updated_at = ?
				WHERE tenant_id = ? AND id = ?
				RETURNING `+packageColumns,
				p.Name, insts, p.AssessmentTypeID, p.AssessmentTypeName, p.AssessmentList, p.Enabled, p.TimeLimitMinutes, p.ExpiryDays,
				reminders, profile, thresholds, scorecard, p.Language, now, p.TenantID, p.ID)
		}
		var err error
		saved, err = scanPackage(row)
		return err
	})
	if err != nil && assessments.ErrorCode(err) == assessments.EINTERNAL {
		return p, fmt.Errorf("storage: save package: %w", err)
	}
	return saved, err
}

// checkUnique turns the table's unique constraints into messages an admin
// can act on.
func (s *CatalogStore) checkUnique(ctx context.Context, tx *sql.Tx, p assessments.Package) error {
	var other string
	err := tx.QueryRowContext(ctx, `SELECT name FROM packages WHERE tenant_id = ? AND id <> ? AND assessment_type_id = ?`,
		p.TenantID, p.ID, p.AssessmentTypeID).Scan(&other)
	if err == nil {
		return assessments.Errorf(assessments.ECONFLICT, "The package %q already uses the Assessment Type %q; each type maps to one package.", other, nonEmptyString(p.AssessmentTypeName, p.AssessmentTypeID))
	} else if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	err = tx.QueryRowContext(ctx, `SELECT name FROM packages WHERE tenant_id = ? AND id <> ? AND name = ?`, p.TenantID, p.ID, p.Name).Scan(&other)
	if err == nil {
		return assessments.Errorf(assessments.ECONFLICT, "Another package is already called %q.", p.Name)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	return nil
}

// SetPackageEnabled implements assessments.CatalogStore.
func (s *CatalogStore) SetPackageEnabled(ctx context.Context, tenantID, id int64, enabled bool) error {
	res, err := s.db.W.ExecContext(ctx, `UPDATE packages SET enabled = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
		enabled, s.clock.Now(), tenantID, id)
	if err != nil {
		return fmt.Errorf("storage: enable package: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return assessments.Errorf(assessments.ENOTFOUND, "Assessment package not found.")
	}
	return nil
}

// nonNil keeps empty lists as [] in stored JSON.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func nonEmptyString(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
