package icimstest_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// addJobs gives the US customer n more approved jobs and returns their ids.
func addJobs(t *testing.T, srv *icimstest.Server, n int) []int {
	t.Helper()
	ids := make([]int, n)
	for i := range ids {
		id, err := srv.AddJob(us, map[string]any{"jobtitle": "Job " + strconv.Itoa(i), "jobnumber": "REQ-" + strconv.Itoa(i),
			"folder": map[string]any{"id": "C53001"}})
		require.NoError(t, err)
		ids[i] = id
	}
	return ids
}

func TestSearchJobsByUpdateDate(t *testing.T) {
	clock := newClock()
	srv := icimstest.Start(t, icimstest.Options{Clock: clock})
	t0 := clock.Now()
	added := addJobs(t, srv, 2000)
	clock.Advance(time.Hour)
	var changed []string
	for _, id := range added[500:510] {
		require.NoError(t, srv.UpdateJob(us, id, map[string]any{"jobtitle": "Changed " + strconv.Itoa(id)}))
		changed = append(changed, strconv.Itoa(id))
	}
	at := func(d time.Duration) string { return t0.Add(d).Format(icimstest.DateTimeFormat) }
	since := `{"filters":[{"name":"job.updateddate","value":["` + at(time.Hour) + `"],"operator":">="}]}`

	cases := []struct {
		name  string
		query string
		want  []string
	}{
		{"at or after", since, changed},
		{"after, by the minute", `{"filters":[{"name":"job.updateddate","value":["` + at(time.Hour) + `"],"operator":">"}]}`, []string{}},
		{"range with =", `{"filters":[{"name":"job.updateddate","value":["` + at(50*time.Minute) + `"],"secondaryValue":["` + at(70*time.Minute) + `"]}]}`, changed},
		{"start only with =", `{"filters":[{"name":"job.updateddate","value":["` + at(time.Hour) + `"]}]}`, changed},
		{"date without time is midnight", `{"filters":[{"name":"job.updateddate","value":["` + t0.Add(24*time.Hour).Format(icimstest.DateFormat) + `"],"operator":">="}]}`, []string{}},
		{"and the id filter pages", `{"filters":[{"name":"job.updateddate","value":["` + at(time.Hour) + `"],"operator":">="},{"name":"job.id","value":["` + changed[4] + `"],"operator":">"}]}`, changed[5:]},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, searchIDs(t, srv, "jobs", tc.query))
		})
	}

	t.Run("an unrecognised date lets every job through", func(t *testing.T) {
		ids := searchIDs(t, srv, "jobs", `{"filters":[{"name":"job.updateddate","value":["last tuesday"],"operator":">="}]}`)
		assert.Len(t, ids, 1000, "the first page of all 2,003 jobs")
	})

	t.Run("a text operator is refused", func(t *testing.T) {
		r := do(t, srv, basicAuth(us), "POST", api(us, "search/jobs"), `{"filters":[{"name":"job.updateddate","value":["`+at(0)+`"],"operator":"=="}]}`)
		assert.Equal(t, http.StatusBadRequest, r.status)
	})

	t.Run("all jobs page by id, 1000 at a time", func(t *testing.T) {
		q := func(after string) string {
			return `{"filters":[{"name":"job.folder","value":["Closed"],"operator":"!="},{"name":"job.id","value":["` + after + `"],"operator":">"}]}`
		}
		first := searchIDs(t, srv, "jobs", q("0"))
		require.Len(t, first, 1000)
		second := searchIDs(t, srv, "jobs", q(first[999]))
		require.Len(t, second, 1000)
		third := searchIDs(t, srv, "jobs", q(second[999]))
		assert.Len(t, third, 3, "2,003 jobs: the three seeded and 2,000 added")
	})

	t.Run("a PATCH through the API moves the update time", func(t *testing.T) {
		clock.Advance(time.Hour)
		r := do(t, srv, basicAuth(us), "PATCH", api(us, "jobs/"+strconv.Itoa(added[0])), `{"jobtitle":"Patched"}`)
		require.Less(t, r.status, 300, "%s", r.body)
		assert.Equal(t, []string{strconv.Itoa(added[0])}, searchIDs(t, srv, "jobs",
			`{"filters":[{"name":"job.updateddate","value":["`+at(2*time.Hour)+`"],"operator":">="}]}`))
	})

	t.Run("a deleted job is found neither by GET nor by search", func(t *testing.T) {
		require.NoError(t, srv.DeleteJob(us, added[1]))
		r := do(t, srv, basicAuth(us), "GET", api(us, "jobs/"+strconv.Itoa(added[1])), nil)
		assert.Equal(t, http.StatusNotFound, r.status)
		assert.NotContains(t, searchIDs(t, srv, "jobs", `{"filters":[{"name":"job.id","value":["`+strconv.Itoa(added[1])+`"]}]}`), strconv.Itoa(added[1]))
	})
}
