package app

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/views"
)

var logRowID = regexp.MustCompile(`<tr id="delivery-(\d+)"`)

// rowIDs lists the delivery ids a logs page shows, in order.
func rowIDs(body string) []int64 {
	var out []int64
	for _, m := range logRowID.FindAllStringSubmatch(body, -1) {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		out = append(out, id)
	}
	return out
}

// tableOf is the logs table alone, without the filter form's options.
func tableOf(body string) string {
	start := strings.Index(body, `<table id="logs"`)
	if start < 0 {
		return ""
	}
	end := strings.Index(body[start:], "</table>")
	return body[start : start+end]
}

func TestLogsPageListsEveryDeliveryWithFilters(t *testing.T) {
	e := newLogsEnv(t)
	e.move(icimstest.USWorkflow1, icimstest.StatusReviewed) // matches no rule
	require.Equal(t, http.StatusOK, e.move(icimstest.USWorkflow1, icimstest.StatusAssessment).StatusCode)
	d := e.settled()
	require.Equal(t, assessments.DeliveryProcessed, d.Status, d.Message)
	e.waitSent(d.InvitationID)
	require.Equal(t, http.StatusOK, e.move(icimstest.USWorkflow2, icimstest.StatusAssessment).StatusCode)
	second := e.settled()

	p := e.logsPage("")
	table := htmlUnescape(tableOf(p.Body))
	for _, want := range []string{"Status change event", "E-mail", "Avery Brooks", "Account Executive", "Ignored", "Processed", "HTTP 200"} {
		assert.Contains(t, table, want)
	}
	all := rowIDs(p.Body)
	require.GreaterOrEqual(t, len(all), 5, "three events, the e-mail and the write-back rows")
	// Newest first is by created_at, then id: the e-mail worker and the
	// calls log stamp a delivery with when its call began and commit it
	// later, so ids alone do not follow time even on one instance.
	at := e.createdAt(all)
	for i := 1; i < len(all); i++ {
		assert.True(t, at[i-1].After(at[i]) || at[i-1].Equal(at[i]) && all[i-1] > all[i],
			"newest first: %d at %s, then %d at %s", all[i-1], at[i-1], all[i], at[i])
	}
	assert.Contains(t, p.Body, `hx-trigger="every 5s"`, "the first page refreshes itself")
	assert.Equal(t, 14, strings.Count(p.Body, `<g class="day">`), "a chart of 14 days")
	assert.Contains(t, p.Body, `id="logs-chart"`)

	cases := []struct {
		name  string
		query url.Values
		check func(t *testing.T, ids []int64, table string)
	}{
		{"inbound", url.Values{"direction": {"inbound"}}, func(t *testing.T, ids []int64, table string) {
			assert.Len(t, ids, 3)
			assert.NotContains(t, table, "E-mail")
		}},
		{"kind", url.Values{"kind": {assessments.DeliveryKindEmail}}, func(t *testing.T, ids []int64, table string) {
			assert.NotEmpty(t, ids)
			assert.NotContains(t, table, "Status change event")
		}},
		{"result", url.Values{"result": {"ignored"}}, func(t *testing.T, ids []int64, table string) {
			assert.Len(t, ids, 1)
		}},
		{"candidate", url.Values{"candidate": {"3002"}}, func(t *testing.T, ids []int64, table string) {
			assert.Contains(t, ids, second.ID)
			assert.NotContains(t, table, "Avery Brooks", "only workflow 3002's deliveries")
		}},
		{"date range in the past", url.Values{"from": {"2020-01-01"}, "to": {"2020-01-31"}}, func(t *testing.T, ids []int64, table string) {
			assert.Empty(t, ids)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := e.logsPage(c.query.Encode())
			c.check(t, rowIDs(p.Body), htmlUnescape(tableOf(p.Body)))
			for k, v := range c.query {
				assert.Contains(t, p.Body, `value="`+v[0]+`"`, "the form keeps %s", k)
			}
		})
	}
	// Reads from iCIMS (the candidate's profile) are logged too, in
	// batches off the processing path.
	require.Eventually(t, func() bool {
		return len(rowIDs(e.logsPage("kind="+assessments.DeliveryKindRead).Body)) > 0
	}, 10*time.Second, 50*time.Millisecond, "no read from iCIMS was logged")
	reads := htmlUnescape(tableOf(e.logsPage("kind=" + assessments.DeliveryKindRead).Body))
	assert.Contains(t, reads, "Read from iCIMS")
	assert.Contains(t, reads, "get person")

	past := e.logsPage("to=2020-01-31")
	assert.NotContains(t, past.Body, "hx-trigger", "a range that ended does not refresh")
	bad := e.logsPage("from=yesterday")
	assert.Contains(t, bad.Body, "The start date must look like")
}

func TestLogsPagesByKeysetAndRefreshesTheFirstOnly(t *testing.T) {
	e := newLogsEnv(t)
	now := time.Now().UTC().Add(-time.Hour)
	for i := range 60 {
		_, err := e.app.DB.W.Exec(`INSERT INTO deliveries (tenant_id, public_id, direction, kind, status, workflow_id, payload, created_at, updated_at)
			VALUES (?, ?, 'inbound', ?, 'ignored', '3001', '{}', ?, ?)`, e.tenant.ID, "bulk-"+strconv.Itoa(i), "JobPostToWebEvent",
			now.Add(time.Duration(i)*time.Second), now)
		require.NoError(t, err)
	}
	first := e.logsPage("")
	ids := rowIDs(first.Body)
	require.Len(t, ids, assessments.DefaultLogPageSize)
	older := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(first.Body)
	require.NotNil(t, older, "a link to older deliveries")
	assert.Contains(t, htmlUnescape(older[1]), "before="+strconv.FormatInt(ids[len(ids)-1], 10))

	next := e.b.get(e.app.URL + htmlUnescape(older[1]))
	require.Equal(t, http.StatusOK, next.Status)
	rest := rowIDs(next.Body)
	assert.Len(t, rest, 10)
	assert.Less(t, rest[0], ids[len(ids)-1], "the next page continues where the first stopped")
	assert.NotContains(t, next.Body, "hx-trigger", "an older page does not refresh itself")
	assert.Contains(t, next.Body, `rel="prev"`)

	// The list refreshing itself gets the list alone, with new deliveries.
	req, err := http.NewRequest(http.MethodGet, e.app.URL+views.LogsPath, nil)
	require.NoError(t, err)
	req.Header.Set("HX-Request", "true")
	frag := e.b.do(req)
	require.Equal(t, http.StatusOK, frag.Status)
	assert.NotContains(t, frag.Body, "<html")
	assert.True(t, strings.HasPrefix(strings.TrimSpace(frag.Body), `<div id="log-list"`), frag.Body[:min(200, len(frag.Body))])
	assert.Equal(t, ids, rowIDs(frag.Body))
}

func TestLogsDeliveryPageAndAnotherTenantsDeliveries(t *testing.T) {
	e := newLogsEnv(t)
	require.Equal(t, http.StatusOK, e.move(icimstest.USWorkflow1, icimstest.StatusAssessment).StatusCode)
	d := e.settled()
	p := e.deliveryPage(d.ID)
	body := htmlUnescape(p.Body)
	assert.Contains(t, body, "Status change event")
	assert.Contains(t, body, `"eventType": "WorkFlowStatusChangeEvent"`, "the request body, indented")
	assert.Contains(t, body, "Attempt 1")
	assert.Contains(t, body, `href="/admin/rules/`+idString(e.ruleID)+`"`, "the rule it belongs to")
	assert.Contains(t, body, `href="/admin/invitations/`+idString(d.InvitationID)+`"`, "the invitation it made")
	assert.Contains(t, body, ">Redeliver</button>")
	assert.NotContains(t, body, "Authorization")

	foreign := e.otherTenantDelivery()
	assert.Equal(t, http.StatusNotFound, e.b.get(e.app.URL+views.LogPath(foreign, "")).Status)
	// The CSRF token comes from the list page: the delivery page's Redeliver
	// is a GET to its confirmation, and the page has no other form.
	for _, action := range []string{"/redeliver", "/retry"} {
		r := e.b.submit(e.logsPage(""), views.LogPath(foreign, action), nil)
		assert.Equal(t, http.StatusNotFound, r.Status, action)
	}
	assert.NotContains(t, rowIDs(e.logsPage("").Body), foreign)
	assert.Equal(t, http.StatusNotFound, e.b.get(e.app.URL+views.LogPath(0, "")).Status)
}
