package jobs

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/clocktest"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
	"github.com/jobcannon/jobcannon/mail"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

// mailNow is when the e-mail tests start.
var mailNow = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

// queued is an Inserter that keeps what it is given, with the options.
type queued struct {
	mu     sync.Mutex
	params []river.InsertManyParams
}

func (q *queued) InsertManyTx(_ context.Context, _ *sql.Tx, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.params = append(q.params, params...)
	return nil, nil
}

func (q *queued) of(kind string) []river.InsertManyParams {
	q.mu.Lock()
	defer q.mu.Unlock()
	var out []river.InsertManyParams
	for _, p := range q.params {
		if p.Args.Kind() == kind {
			out = append(out, p)
		}
	}
	return out
}

// faultySender sends into the dev mailbox, after failing with the errors
// it is given; it remembers the Message-ID of every attempt.
type faultySender struct {
	next mail.Sender

	mu       sync.Mutex
	errs     []error
	attempts []string
}

func (s *faultySender) Send(ctx context.Context, m mail.Message) (string, error) {
	s.mu.Lock()
	s.attempts = append(s.attempts, m.Header(mail.HeaderMessageID))
	var err error
	if len(s.errs) > 0 {
		err, s.errs = s.errs[0], s.errs[1:]
	}
	s.mu.Unlock()
	if err != nil {
		return "", err
	}
	return s.next.Send(ctx, m)
}

func (s *faultySender) failNext(errs ...error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.errs = append(s.errs, errs...)
}

// mailHarness is a migrated database with the real stores, a sandbox
// invitation and the e-mail jobs, sending into the dev mailbox on a fake
// clock.
type mailHarness struct {
	t           *testing.T
	ctx         context.Context
	db          *storage.DB
	clock       *clocktest.Clock
	lib         *assessments.Library
	invitations *storage.InvitationStore
	catalog     *storage.CatalogStore
	emails      *storage.EmailStore
	templates   *storage.EmailTemplateStore
	mailbox     *storage.Mailbox
	sender      *faultySender
	queue       *queued
	mailer      *Mailer
	scheduler   *Scheduler
	base        *url.URL
}

func newMailHarness(t *testing.T) *mailHarness {
	t.Helper()
	ctx := context.Background()
	env := storetest.New(t)
	db, keyring := env.DB, env.Keyring
	lib := env.Library

	h := &mailHarness{t: t, ctx: ctx, db: db, clock: clocktest.New(mailNow), lib: lib, queue: &queued{}}
	h.base, _ = url.Parse("https://jc.example")
	h.invitations = storage.NewInvitationStore(db, keyring, h.clock, nil)
	h.catalog = storage.NewCatalogStore(db, h.clock)
	h.emails = storage.NewEmailStore(db, keyring, h.clock, h.invitations, nil)
	h.templates = storage.NewEmailTemplateStore(db, h.clock)
	h.mailbox = storage.NewMailbox(db, h.clock)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	h.sender = &faultySender{next: mail.NewDevMailbox(h.mailbox, mail.RandomID, log)}
	h.scheduler = &Scheduler{Queue: h.queue, Catalog: h.catalog, Store: storage.NewLifecycleStore(db, h.invitations, h.emails), Clock: h.clock}
	h.mailer = &Mailer{Sender: h.sender, Transport: "dev mailbox", From: "assessments@jc.example", BaseURL: h.base,
		Invitations: h.invitations, Tenants: storage.NewTenantStore(db, keyring, h.clock), Catalog: h.catalog, Library: lib,
		Templates: h.templates, Emails: h.emails, Clock: h.clock, NewID: mail.RandomID, Log: log}
	return h
}

// invite creates a sandbox invitation (package reminders on days 2 and 5,
// expiry after 7 days) and returns it with its token.
func (h *mailHarness) invite(workflow string, change func(*storage.SandboxSeed)) (assessments.Invitation, string) {
	h.t.Helper()
	seed := storage.SandboxSeed{WorkflowID: workflow, Configure: func(p *assessments.Package) {
		p.ReminderDays, p.ExpiryDays = []int{2, 5}, 7
	}}
	if change != nil {
		change(&seed)
	}
	sb, err := storage.SeedSandboxInvitation(h.ctx, h.invitations, h.catalog, h.lib, seed)
	require.NoError(h.t, err)
	return sb.Invitation, sb.Token
}

func (h *mailHarness) get(inv assessments.Invitation) assessments.Invitation {
	h.t.Helper()
	got, err := h.invitations.Invitation(h.ctx, inv.TenantID, inv.ID)
	require.NoError(h.t, err)
	return got
}

func (h *mailHarness) messages() []mail.StoredMessage {
	h.t.Helper()
	msgs, err := h.mailbox.List(h.ctx, 100, 0)
	require.NoError(h.t, err)
	return msgs
}

// sawTransition reports whether any invitation recorded the transition
// want ("from>to").
func (h *mailHarness) sawTransition(want string) bool {
	h.t.Helper()
	var n int
	require.NoError(h.t, h.db.R.QueryRow(`SELECT COUNT(*) FROM invitation_events WHERE from_status || '>' || status = ?`, want).Scan(&n))
	return n > 0
}

// job wraps args as River hands them to a worker.
func job[T river.JobArgs](id int64, attempt, maxAttempts int, args T) *river.Job[T] {
	return &river.Job[T]{JobRow: &rivertype.JobRow{ID: id, Attempt: attempt, MaxAttempts: maxAttempts}, Args: args}
}

func (h *mailHarness) send(inv assessments.Invitation, attempt int) error {
	w := &SendInvitationWorker{Mailer: h.mailer, Scheduler: h.scheduler}
	return w.Work(h.ctx, job(1, attempt, 5, jobargs.SendInvitationArgs{InvitationID: inv.ID}))
}
