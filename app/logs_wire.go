package app

import (
	"fmt"
	"log/slog"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/jobs"
	"github.com/jobcannon/jobcannon/storage"
)

// logsParts is the webhook logs page, the dashboard's setup checklist and
// health, "Send a test assessment", and retention with its periodic job.
// The retention worker must exist before the queue is built (newLogsParts);
// the rest needs the events side and the write-back (finish).
type logsParts struct {
	db        *storage.DB
	clock     assessments.Clock
	tenants   assessments.TenantStore
	store     *storage.LogStore
	retention *assessments.Retention
	worker    *jobs.RetentionWorker
	logs      *assessments.Logs
	checklist *assessments.Checklist
	// trial is nil when the sandbox is off.
	trial assessments.TrialRunner
	// dailyQuota is the iCIMS calls a day the pacer allows (0: default).
	dailyQuota int
	// calls logs the reads from iCIMS.
	calls *callLog
}

func newLogsParts(db *storage.DB, clock assessments.Clock, tenants assessments.TenantStore, log *slog.Logger, dailyQuota int) *logsParts {
	retention := &assessments.Retention{Store: storage.NewRetentionStore(db, clock), Tenants: tenants, Clock: clock}
	return &logsParts{db: db, clock: clock, tenants: tenants, store: storage.NewLogStore(db), retention: retention,
		worker: &jobs.RetentionWorker{Retention: retention, Log: log.With("component", "retention")}, dailyQuota: dailyQuota,
		calls: newCallLog(storage.NewCallStore(db, clock, nil), clock, log.With("component", "logs"))}
}

// close writes the reads still buffered; the database must still be open.
func (p *logsParts) close() { p.calls.close() }

// finish builds what needs the events side and schedules retention on its
// queue. invitations tells a redelivery who already completed. sim is nil
// without the sandbox.
func (p *logsParts) finish(events *eventParts, writeback *writebackParts, invitations assessments.CompletedInvitations, sim *icimstest.Sim) error {
	p.logs = &assessments.Logs{Store: p.store, Events: events.events, Rules: events.rules, Intake: events.intake,
		Writeback: writeback.store, Completed: invitations, Clock: p.clock}
	p.checklist = &assessments.Checklist{Store: storage.NewChecklistStore(p.db), Logs: p.store, Tenants: p.tenants,
		Rules: events.rules, Statuses: events.icims, Clock: p.clock, DailyQuota: p.dailyQuota}
	if sim != nil {
		p.trial = &sandboxTrial{sim: sim, rules: events.rules, events: events.events, statuses: events.icims}
	}
	if err := events.queue.AddPeriodic(jobs.PeriodicRetention(jobs.DefaultRetentionInterval)); err != nil {
		return fmt.Errorf("schedule retention: %w", err)
	}
	return nil
}
