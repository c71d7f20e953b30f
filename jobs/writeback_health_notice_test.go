package jobs

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/clocktest"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/storage"
)

// healthMail is a notice as the dev mailbox kept it.
type healthMail struct{ to, subject, text string }

func (h *wbHarness) healthMails() []healthMail {
	h.t.Helper()
	rows, err := h.db.R.Query(`SELECT to_address, subject, text FROM dev_mailbox WHERE subject LIKE 'JobCannon: writes%' ORDER BY id`)
	require.NoError(h.t, err)
	defer rows.Close()
	var out []healthMail
	for rows.Next() {
		var m healthMail
		require.NoError(h.t, rows.Scan(&m.to, &m.subject, &m.text))
		out = append(out, m)
	}
	require.NoError(h.t, rows.Err())
	return out
}

func (h *wbHarness) failures() int {
	h.t.Helper()
	var n int
	err := h.db.R.QueryRow(`SELECT COALESCE((SELECT failures FROM writeback_health WHERE tenant_id = ?), 0)`, h.tenant.ID).Scan(&n)
	require.NoError(h.t, err)
	return n
}

func (h *wbHarness) waitFailures(n int) {
	h.t.Helper()
	require.Eventually(h.t, func() bool { return h.failures() >= n }, 30*time.Second, 10*time.Millisecond,
		"fewer than %d failed writes in a row", n)
}

func subjects(ms []healthMail) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.to+": "+m.subject)
	}
	return out
}

// TestWriteHealthMailsTheAdminsOnceWhenFailingAndOnceWhenRecovered: iCIMS
// answers 500 to every write. Three failures within a minute are a blip;
// ten minutes of failures mail each admin once, however many follow, and
// a store built again on the same database (a restart) does not mail
// again. The first success mails each admin once more.
func TestWriteHealthMailsTheAdminsOnceWhenFailingAndOnceWhenRecovered(t *testing.T) {
	clock := clocktest.New(time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC))
	h := newWBHarness(t, wbOptions{clock: clock, health: assessments.WriteHealthPolicy{Failures: 3, For: 10 * time.Minute}, notices: true})
	admins := storage.NewAdminStore(h.db, clock)
	for _, email := range []string{"ada@acme.example", "ops@acme.example"} {
		_, err := admins.CreateAdmin(h.ctx, h.tenant.ID, email, "", "")
		require.NoError(t, err)
	}
	require.NoError(t, h.sim.SetFaults(icimstest.CustomerUS, icimstest.Faults{ErrorRate: 1}))

	for n := 1; n <= 3; n++ {
		h.invite(n).sent()
	}
	h.waitFailures(3)
	assert.Empty(t, h.healthMails(), "three failures within a minute are not yet failing")

	clock.Advance(10 * time.Minute)
	h.invite(4).sent()
	require.Eventually(t, func() bool { return len(h.healthMails()) >= 2 }, 30*time.Second, 10*time.Millisecond, "no failing notice")
	failing := h.healthMails()
	require.Len(t, failing, 2, "one per admin")
	assert.ElementsMatch(t, []string{"ada@acme.example: JobCannon: writes to iCIMS for Acme are failing",
		"ops@acme.example: JobCannon: writes to iCIMS for Acme are failing"}, subjects(failing))
	assert.Contains(t, failing[0].text, "https://jobcannon.test/admin/integrations/icims/logs?result=failed")
	assert.Contains(t, failing[0].text, "the first at 2026-05-04 09:00 UTC")

	// More failures, and a store built again on the same database, as
	// after a restart: the state is the database's, so nobody is mailed
	// again.
	before := h.failures()
	h.invite(5).sent()
	h.waitFailures(before + 1)
	restarted := storage.NewWritebackStore(h.db, clock, nil, h.catalog)
	var someDelivery int64
	require.NoError(t, h.db.R.QueryRow(`SELECT id FROM deliveries WHERE tenant_id = ? AND direction = 'outbound' ORDER BY id LIMIT 1`,
		h.tenant.ID).Scan(&someDelivery))
	var inv int64
	require.NoError(t, h.db.R.QueryRow(`SELECT invitation_id FROM deliveries WHERE id = ?`, someDelivery).Scan(&inv))
	wb, err := restarted.Writeback(h.ctx, h.tenant.ID, inv)
	require.NoError(t, err)
	require.NoError(t, restarted.RecordStep(h.ctx, assessments.WritebackStepOutcome{TenantID: h.tenant.ID, InvitationID: inv,
		DeliveryID: someDelivery, Attempts: []assessments.DeliveryAttempt{{ResponseStatus: 500, CreatedAt: clock.Now()}},
		Delivery: assessments.DeliveryReceived, State: wb.State, Problem: wb.Problem, ICIMSCode: assessments.NoICIMSCode,
		HTTPStatus: 500, Health: assessments.WriteHealthPolicy{Failures: 3, For: 10 * time.Minute}}))
	assert.Equal(t, 2, h.queuedNotices(), "no second failing notice after a restart")

	// iCIMS works again: the first write that goes through recovers.
	require.NoError(t, h.sim.SetFaults(icimstest.CustomerUS, icimstest.Faults{}))
	_, err = h.wb.RetryAll(h.ctx, h.tenant.ID)
	require.NoError(t, err)
	require.Eventually(t, func() bool { return len(h.healthMails()) >= 4 }, 30*time.Second, 10*time.Millisecond, "no recovered notice")
	for n := 1; n <= 5; n++ {
		(&candidate{h: h, inv: assessments.Invitation{ID: int64(n)}}).settled()
	}
	all := h.healthMails()
	require.Len(t, all, 4, "one failing and one recovered notice per admin, none repeated: %v", subjects(all))
	for _, m := range all[2:] {
		assert.True(t, strings.HasSuffix(m.subject, "work again"), m.subject)
		assert.Contains(t, m.text, "Writes had been failing since 2026-05-04 09:00 UTC")
	}
	assert.Zero(t, h.failures(), "the run of failures ended")
}

func (h *wbHarness) queuedNotices() int {
	h.t.Helper()
	var n int
	require.NoError(h.t, h.db.R.QueryRow(`SELECT COUNT(*) FROM river_job WHERE kind = 'writeback_health_notice'`).Scan(&n))
	return n
}
