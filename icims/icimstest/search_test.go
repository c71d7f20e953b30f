package icimstest_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// searchIDs runs a GET search and returns the ids, checking each self link.
func searchIDs(t *testing.T, srv *icimstest.Server, kind, query string) []string {
	t.Helper()
	r := do(t, srv, basicAuth(us), "GET", api(us, "search/"+kind+"?searchJson="+url.QueryEscape(query)), nil)
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	ids := []string{}
	for _, item := range r.json(t)["searchResults"].([]any) {
		m := item.(map[string]any)
		id := m["id"].(string)
		assert.Equal(t, srv.URL+api(us, kind+"/"+id), m["self"])
		ids = append(ids, id)
	}
	return ids
}

func TestSearch(t *testing.T) {
	srv := icimstest.Start(t)

	cases := []struct {
		name  string
		kind  string
		query string
		want  []string
	}{
		{"text contains", "people", `{"filters":[{"name":"person.lastname","value":["rook"]}]}`, []string{"1001"}},
		{"text exact", "people", `{"filters":[{"name":"person.lastname","value":["rook"],"operator":"=="}]}`, []string{}},
		{"or group", "people", `{"filters":[{"name":"person.firstname","value":["Avery"]},{"name":"person.firstname","value":["Casey"]}],"operator":"|"}`, []string{"1001", "1003"}},
		{"children", "people", `{"filters":[{"name":"person.email","value":["@example.com"]}],"operator":"&","children":[{"filters":[{"name":"person.id","value":["1005"],"operator":"<="},{"name":"person.id","value":["1011"],"operator":">="}],"operator":"|"}]}`,
			[]string{"900", "1001", "1002", "1003", "1004", "1005", "1011", "1012"}},
		{"workflows by job", "applicantworkflows", `{"filters":[{"name":"applicantworkflow.job.id","value":["2001"]}]}`, []string{"3001", "3004", "3007", "3010"}},
		{"workflows by person", "applicantworkflows", `{"filters":[{"name":"applicantworkflow.person.id","value":["1002"]}]}`, []string{"3002"}},
		{"status by node id", "applicantworkflows", `{"filters":[{"name":"applicantworkflow.status","value":["C51001"]},{"name":"applicantworkflow.id","value":["3009"],"operator":">"}]}`, []string{"3010", "3011", "3012"}},
		{"status by value", "applicantworkflows", `{"filters":[{"name":"applicantworkflow.status","value":["Rejected"]}]}`, []string{}},
		{"empty operators count as omitted", "people", `{"filters":[{"name":"person.lastname","value":["Moss"],"operator":""}],"operator":""}`, []string{"1012"}},
		{"jobs by title", "jobs", `{"filters":[{"name":"job.jobtitle","value":["analyst"]}]}`, []string{"2003"}},
		{"jobs not folder", "jobs", `{"filters":[{"name":"job.folder","value":["Approved"],"operator":"!="}]}`, []string{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, searchIDs(t, srv, tc.kind, tc.query))
		})
	}

	t.Run("POST body", func(t *testing.T) {
		r := do(t, srv, basicAuth(us), "POST", api(us, "search/people"), `{"filters":[{"name":"person.firstname","value":["Logan"]}]}`)
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.JSONEq(t, `{"searchResults":[{"id":"1010","self":"`+srv.URL+api(us, "people/1010")+`"}]}`, string(r.body))
	})

	refusals := []struct {
		name, kind, query, message string
	}{
		{"no filter", "people", `{"filters":[]}`, "At least one filter must be specified"},
		{"no searchJson", "people", ``, "At least one filter must be specified"},
		{"wrong type prefix", "people", `{"filters":[{"name":"job.jobtitle","value":["x"]}]}`, "The following filter is either not valid or hidden: job.jobtitle"},
		{"bad operator for text", "people", `{"filters":[{"name":"person.firstname","value":["x"],"operator":">"}]}`, "The following filter operator is not valid in the given context: >"},
		{"bad group operator", "people", `{"filters":[{"name":"person.firstname","value":["x"]}],"operator":"and"}`, "The following group operator is not valid in the given context: and"},
		{"unknown attribute", "people", `{"filters":[{"name1":"person.firstname","value":["x"]}]}`, "The following filter attribute is unrecognized: name1"},
		{"not json", "people", `{filters`, "An unknown parsing error occurred"},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, srv, basicAuth(us), "GET", api(us, "search/"+tc.kind+"?searchJson="+url.QueryEscape(tc.query)), nil)
			assert.Equal(t, http.StatusBadRequest, r.status)
			assert.JSONEq(t, `{"errors":[{"errorMessage":`+strconv.Quote(tc.message)+`,"errorCode":4}]}`, string(r.body))
		})
	}
	t.Run("unknown kind", func(t *testing.T) {
		r := do(t, srv, basicAuth(us), "GET", api(us, "search/companies?searchJson="+url.QueryEscape(`{"filters":[{"name":"company.id","value":["1"]}]}`)), nil)
		assert.Equal(t, http.StatusNotFound, r.status)
	})
}

func TestSearchPaging(t *testing.T) {
	srv := icimstest.Start(t)
	for i := range 1100 {
		_, err := srv.AddPerson(us, map[string]any{"firstname": "Bulk", "lastname": "Candidate" + strconv.Itoa(i)})
		require.NoError(t, err)
	}
	query := func(after string) string {
		q := `{"filters":[{"name":"person.firstname","value":["Bulk"],"operator":"=="}`
		if after != "" {
			q += `,{"name":"person.id","value":["` + after + `"],"operator":">"}`
		}
		return q + `]}`
	}
	first := searchIDs(t, srv, "people", query(""))
	require.Len(t, first, 1000)
	for i := 1; i < len(first); i++ {
		a, _ := strconv.Atoi(first[i-1])
		b, _ := strconv.Atoi(first[i])
		require.Less(t, a, b, "ascending ids")
	}
	second := searchIDs(t, srv, "people", query(first[len(first)-1]))
	assert.Len(t, second, 100)
	assert.NotContains(t, second, first[len(first)-1])
	third := searchIDs(t, srv, "people", query(second[len(second)-1]))
	assert.Empty(t, third)
}
