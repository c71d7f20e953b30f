package storage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"io"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
)

// ApplicationStore keeps assessment-first links and applications, and the
// record of each application's iCIMS steps. Each step's outcome, the id
// it created, the invitation and the next step's job commit together.
type ApplicationStore struct {
	db          *DB
	clock       assessments.Clock
	random      io.Reader
	invitations *InvitationStore
}

// NewApplicationStore returns an ApplicationStore; invitations creates the
// invitation in the transaction that records the application in iCIMS.
func NewApplicationStore(db *DB, clock assessments.Clock, invitations *InvitationStore, random io.Reader) *ApplicationStore {
	if random == nil {
		random = rand.Reader
	}
	return &ApplicationStore{db: db, clock: clock, random: random, invitations: invitations}
}

var _ assessments.ApplicationStore = (*ApplicationStore)(nil)

const linkColumns = `id, tenant_id, package_id, job_id, job_title, source, source_label, closed_at, created_at`

func scanLink(row scanner) (assessments.ApplyLink, error) {
	var l assessments.ApplyLink
	var closed sql.NullTime
	err := row.Scan(&l.ID, &l.TenantID, &l.PackageID, &l.JobID, &l.JobTitle, &l.Source, &l.SourceLabel, &closed, &l.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return l, assessments.Errorf(assessments.ENOTFOUND, "This application link does not exist.")
	}
	l.ClosedAt, l.CreatedAt = utc(closed.Time), utc(l.CreatedAt)
	return l, err
}

// CreateLink stores a new link.
func (s *ApplicationStore) CreateLink(ctx context.Context, n assessments.NewApplyLink) (assessments.ApplyLink, error) {
	l, err := scanLink(s.db.W.QueryRowContext(ctx, `INSERT INTO apply_links (tenant_id, package_id, job_id, job_title, source,
			source_label, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING `+linkColumns,
		n.TenantID, n.PackageID, n.JobID, n.JobTitle, n.Source, n.SourceLabel, s.clock.Now()))
	return l, wrapInternal("create apply link", err)
}

// Link returns a link by id alone: the public page knows it from a signed
// token, and the tenant from the link.
func (s *ApplicationStore) Link(ctx context.Context, id int64) (assessments.ApplyLink, error) {
	l, err := scanLink(s.db.R.QueryRowContext(ctx, `SELECT `+linkColumns+` FROM apply_links WHERE id = ?`, id))
	if assessments.ErrorCode(err) == assessments.ENOTFOUND {
		return l, err
	}
	return l, wrapInternal("apply link", err)
}

// Links returns a tenant's links for a job, newest first.
func (s *ApplicationStore) Links(ctx context.Context, tenantID int64, jobID string) ([]assessments.ApplyLink, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT `+linkColumns+` FROM apply_links WHERE tenant_id = ? AND job_id = ?
		ORDER BY id DESC`, tenantID, jobID)
	if err != nil {
		return nil, fmt.Errorf("storage: apply links: %w", err)
	}
	defer rows.Close()
	var out []assessments.ApplyLink
	for rows.Next() {
		l, err := scanLink(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: apply links: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// CloseLink stops a link taking applications.
func (s *ApplicationStore) CloseLink(ctx context.Context, tenantID, id int64) error {
	res, err := s.db.W.ExecContext(ctx, `UPDATE apply_links SET closed_at = COALESCE(closed_at, ?) WHERE tenant_id = ? AND id = ?`,
		s.clock.Now(), tenantID, id)
	if err != nil {
		return fmt.Errorf("storage: close apply link: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return assessments.Errorf(assessments.ENOTFOUND, "This application link does not exist.")
	}
	return nil
}

const applicationColumns = `id, tenant_id, link_id, first_name, last_name, email, phone, cv_name, cv_type, cv_size,
	person_id, person_created, workflow_id, COALESCE(invitation_id, 0), step, warning, problem, created_at, updated_at`

func scanApplication(row scanner) (assessments.Application, error) {
	var a assessments.Application
	var step string
	err := row.Scan(&a.ID, &a.TenantID, &a.LinkID, &a.FirstName, &a.LastName, &a.Email, &a.Phone, &a.CVName, &a.CVType,
		&a.CVSize, &a.PersonID, &a.PersonCreated, &a.WorkflowID, &a.InvitationID, &step, &a.Warning, &a.Problem,
		&a.CreatedAt, &a.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return a, assessments.Errorf(assessments.ENOTFOUND, "Application not found.")
	}
	a.Step = assessments.ApplyStep(step)
	a.CreatedAt, a.UpdatedAt = utc(a.CreatedAt), utc(a.UpdatedAt)
	return a, err
}

// AlreadyAppliedMessage is the answer to a second application with the
// same e-mail through the same link.
const AlreadyAppliedMessage = "You have already applied for this job with this e-mail address. Check your e-mail for your assessment link."

// Apply implements assessments.ApplicationStore: the application and its
// first step's job commit together.
func (s *ApplicationStore) Apply(ctx context.Context, n assessments.NewApplication, waitHash string) (assessments.Application, error) {
	var app assessments.Application
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		now := s.clock.Now()
		var cv []byte
		var cvName, cvType string
		if n.CV != nil {
			cv, cvName, cvType = n.CV.Data, n.CV.Name, n.CV.ContentType
		}
		var err error
		app, err = scanApplication(tx.QueryRowContext(ctx, `INSERT INTO applications (tenant_id, link_id, wait_hash, first_name,
				last_name, email, phone, cv, cv_name, cv_type, cv_size, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING `+applicationColumns,
			n.TenantID, n.LinkID, waitHash, n.FirstName, n.LastName, n.Email, n.Phone, cv, cvName, cvType, len(cv), now, now))
		if err != nil {
			return err
		}
		return s.db.insertJobsTx(ctx, tx, river.InsertManyParams{Args: jobargs.ApplyPersonArgs{TenantID: app.TenantID, ApplicationID: app.ID}})
	})
	if isUniqueOn(err, "applications.email") {
		return assessments.Application{}, assessments.Errorf(assessments.ECONFLICT, "%s", AlreadyAppliedMessage)
	}
	return app, wrapInternal("apply", err)
}

// ApplicationByWait returns the application a waiting page follows.
func (s *ApplicationStore) ApplicationByWait(ctx context.Context, waitHash string) (assessments.Application, error) {
	a, err := scanApplication(s.db.R.QueryRowContext(ctx, `SELECT `+applicationColumns+` FROM applications WHERE wait_hash = ?`, waitHash))
	if assessments.ErrorCode(err) == assessments.ENOTFOUND {
		return a, err
	}
	return a, wrapInternal("application", err)
}

// Application returns one of a tenant's applications.
func (s *ApplicationStore) Application(ctx context.Context, tenantID, id int64) (assessments.Application, error) {
	a, err := scanApplication(s.db.R.QueryRowContext(ctx, `SELECT `+applicationColumns+` FROM applications
		WHERE tenant_id = ? AND id = ?`, tenantID, id))
	if assessments.ErrorCode(err) == assessments.ENOTFOUND {
		return a, err
	}
	return a, wrapInternal("application", err)
}

// Applications returns a tenant's applications through one link, newest
// first.
func (s *ApplicationStore) Applications(ctx context.Context, tenantID, linkID int64) ([]assessments.Application, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT `+applicationColumns+` FROM applications WHERE tenant_id = ? AND link_id = ?
		ORDER BY id DESC LIMIT 200`, tenantID, linkID)
	if err != nil {
		return nil, fmt.Errorf("storage: applications: %w", err)
	}
	defer rows.Close()
	var out []assessments.Application
	for rows.Next() {
		a, err := scanApplication(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: applications: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// CV returns the CV waiting to be uploaded; false once it has been (it is
// then deleted) or when there was none.
func (s *ApplicationStore) CV(ctx context.Context, tenantID, id int64) (assessments.CVFile, bool, error) {
	var f assessments.CVFile
	err := s.db.R.QueryRowContext(ctx, `SELECT cv_name, cv_type, cv FROM applications WHERE tenant_id = ? AND id = ?
		AND cv IS NOT NULL`, tenantID, id).Scan(&f.Name, &f.ContentType, &f.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return f, false, nil
	} else if err != nil {
		return f, false, fmt.Errorf("storage: application cv: %w", err)
	}
	return f, true, nil
}
