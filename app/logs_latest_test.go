package app

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/views"
)

// TestLogsShowTheLatestAttemptAfterASuccessfulRetry: a write refused with
// 403 and then written by Retry now reads as its success on the list and
// on its page, with the refusal kept in the page's earlier attempts.
func TestLogsShowTheLatestAttemptAfterASuccessfulRetry(t *testing.T) {
	e := newWritebackEnv(t)
	c := e.invite(1)
	c.sent()
	c.waitFor(assessments.WritebackDone)
	e.faults(icimstest.Faults{MissingScope: assessments.ScopeProfileWrite})
	c.startAndComplete(64, assessments.VerdictConsider)
	c.waitFor(assessments.WritebackFailed)
	var id int64
	require.NoError(t, e.app.DB.R.QueryRow(`SELECT id FROM deliveries WHERE tenant_id = ? AND invitation_id = ? AND kind = ?
		AND status = 'failed' ORDER BY id DESC LIMIT 1`, e.tenant.ID, c.inv.ID, string(assessments.StepScorecard)).Scan(&id))

	le := &logsEnv{eventsEnv: &eventsEnv{t: t, app: e.app, b: e.b, tenant: e.tenant}}
	e.faults(icimstest.Faults{})
	r := e.b.submit(le.deliveryPage(id), views.LogPath(id, "/retry"), nil)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	c.waitFor(assessments.WritebackDone)

	row := rowOf(le.logsPage("").Body, id)
	require.NotEmpty(t, row, "the delivery is listed")
	assert.Contains(t, row, "Processed")
	assert.NotContains(t, row, "HTTP 403", "the refusal was not the last word")
	assert.Regexp(t, `HTTP 2\d\d`, row, "the success's own code")
	assert.Regexp(t, `attempt \d+ at \d{4}-\d\d-\d\d`, row, "when the latest attempt was made")

	body := htmlUnescape(le.deliveryPage(id).Body)
	facts := body[:indexOr(body, "Latest attempt</strong>")]
	assert.NotContains(t, facts, "HTTP 403")
	assert.Regexp(t, `HTTP 2\d\d`, facts)
	assert.Contains(t, facts, "Latest attempt (")
	earlier := body[indexOr(body, "Earlier attempts</strong>"):]
	assert.Contains(t, earlier, "Status 403", "the refusal stays in the history")

	// Without JavaScript the ids are text to select, and the Copy buttons,
	// which need the script, are not shown.
	var eventID string
	require.NoError(t, e.app.DB.R.QueryRow(`SELECT public_id FROM deliveries WHERE id = ?`, id).Scan(&eventID))
	assert.Contains(t, body, `<code id="event-id">`+eventID+`</code>`)
	assert.Contains(t, body, `data-copy="#event-id" data-copy-what="the event id" aria-label="Copy the event id" hidden>Copy</button>`)
	assert.Contains(t, body, `id="response-body-1"`, "the refused attempt's body can be copied")
	assert.Regexp(t, `<script src="/static/copy\.[0-9a-f]{12}\.js" defer></script>`, body, "the script is a static file")
}

// rowOf is one delivery's row of the logs table, "" when it is not listed.
func rowOf(body string, id int64) string {
	table := tableOf(body)
	start := indexOr(table, `id="delivery-`+idString(id)+`"`)
	if start == len(table) {
		return ""
	}
	return htmlUnescape(table[start : start+indexOr(table[start:], "</tr>")])
}

// indexOr is strings.Index, or len(s) when sub is missing, so that a
// missing marker fails the assertions that follow rather than panicking.
func indexOr(s, sub string) int {
	if i := strings.Index(s, sub); i >= 0 {
		return i
	}
	return len(s)
}
