package icims

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSearchPages(t *testing.T) {
	const total = 2345
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		var q SearchQuery
		require.NoError(t, json.Unmarshal([]byte(r.URL.Query().Get("searchJson")), &q))
		after := 0
		for _, fl := range q.Filters {
			if fl.Name == "applicantworkflow.id" && fl.Operator == ">" {
				_, _ = fmt.Sscan(fl.Value[0], &after)
			}
		}
		var rs []string
		for id := after + 1; id <= total && len(rs) < SearchPageSize; id++ {
			rs = append(rs, fmt.Sprintf(`{"id":%d,"self":"x/%d"}`, id, id))
		}
		reply(w, 200, `{"searchResults":[`+strings.Join(rs, ",")+`]}`)
	})
	q := SearchQuery{Filters: []SearchFilter{{Name: "applicantworkflow.status", Value: []string{"C1"}, Operator: "="}}}
	got, err := f.client(t, nil).Search(context.Background(), SearchApplicantWorkflows, q)
	require.NoError(t, err)
	require.Len(t, got, total)
	assert.Equal(t, SearchResult{ID: "1", Self: "x/1"}, got[0])
	assert.Equal(t, "2345", got[total-1].ID)

	reqs := f.requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, cust+"/search/applicantworkflows", reqs[0].Path)
	assert.JSONEq(t, `{"filters":[{"name":"applicantworkflow.status","value":["C1"],"operator":"="}]}`, mustQuery(t, reqs[0].RawQuery).Get("searchJson"))
	assert.JSONEq(t, `{"filters":[{"name":"applicantworkflow.status","value":["C1"],"operator":"="},{"name":"applicantworkflow.id","value":["2000"],"operator":">"}]}`,
		mustQuery(t, reqs[2].RawQuery).Get("searchJson"))
	assert.Len(t, q.Filters, 1, "the caller's query is not modified")
}

func TestSearchStopsWhenNotAscending(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		rs := make([]string, SearchPageSize)
		for i := range rs {
			rs[i] = fmt.Sprintf(`{"id":"%d"}`, i+1) // ignores the id filter
		}
		reply(w, 200, `{"searchResults":[`+strings.Join(rs, ",")+`]}`)
	})
	_, err := f.client(t, nil).Search(context.Background(), SearchPeople, SearchQuery{Filters: []SearchFilter{{Name: "person.lastname", Value: []string{"Doe"}, Operator: "="}}})
	require.Error(t, err)
	assert.Len(t, f.requests(), 2)
}

func TestSearchNeedsAFilter(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 200, `{}`) })
	_, err := f.client(t, nil).Search(context.Background(), SearchJobs, SearchQuery{})
	assert.Error(t, err)
	assert.Empty(t, f.requests())
}

func TestGetListsAndList(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case cust + "/v2/lists":
			reply(w, 200, `{"lists":["lists.sources","lists.job.folders"]}`)
		case cust + "/v2/lists/lists.sources":
			reply(w, 200, `{"id":"lists.sources","value":"Sources","children":[{"id":"D1","value":"Agency","_links":{}},{"id":"D2","value":"Job Board"}]}`)
		default:
			reply(w, 404, `{"errors":[{"errorMessage":"List not found.","errorCode":2}]}`)
		}
	})
	c := f.client(t, nil)
	ids, err := c.GetLists(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"lists.sources", "lists.job.folders"}, ids)

	l, err := c.GetList(context.Background(), ListSources)
	require.NoError(t, err)
	assert.Equal(t, "1000", mustQuery(t, f.last(t).RawQuery).Get("size"))
	assert.Equal(t, []ListNode{{ID: "D1", Value: "Agency"}, {ID: "D2", Value: "Job Board"}}, l.Nodes)
	n, ok := l.NodeByValue("job board")
	assert.True(t, ok)
	assert.Equal(t, "D2", n.ID)

	_, err = c.GetList(context.Background(), "C999")
	var e *Error
	require.True(t, errors.As(err, &e))
	assert.Equal(t, NotFound, e.Kind)

	_, err = c.GetList(context.Background(), "../people")
	assert.Error(t, err)
}

func TestGetResume(t *testing.T) {
	pdf := []byte("%PDF-1.4\x00\x01binary")
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		reply(w, 200, string(pdf), "Content-Type", "application/pdf", "Content-Disposition", `attachment; filename="jane doe.pdf"`)
	})
	var obs observed
	r, err := f.client(t, func(c *Config) { c.Observer = obs.observe }).GetResume(context.Background(), "1930")
	require.NoError(t, err)
	assert.Equal(t, cust+"/people/1930/fields/resume/binary", f.last(t).Path)
	assert.Equal(t, Resume{ContentType: "application/pdf", Filename: "jane doe.pdf", Data: pdf}, r)
	require.Len(t, obs.all(), 1)
	assert.Nil(t, obs.all()[0].ResponseBody, "binary bodies are not logged")
}

func TestGetListPagingLinks(t *testing.T) {
	tests := []struct {
		name    string
		next    func(r *http.Request) string // the next link an answer carries
		wantErr string
		calls   int
	}{
		{"a link to another list is refused", func(*http.Request) string { return "/v2/lists/lists.sources?offset=1" }, "not for list", 1},
		{"a link that repeats the page is refused", func(r *http.Request) string { return "/v2/lists/C1?size=1000" }, "repeats", 1},
		{"a link that never ends is bounded", func(r *http.Request) string {
			n, _ := strconv.Atoi(r.URL.Query().Get("offset"))
			return "https://elsewhere.example/v2/lists/C1?offset=" + strconv.Itoa(n+1)
		}, "more than 50 pages", 50},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
				reply(w, 200, `{"id":"C1","value":"Assessment Type","children":[{"id":"C2","value":"A"}],"_links":{"next":{"href":"`+tt.next(r)+`"}}}`)
			})
			_, err := f.client(t, nil).GetList(context.Background(), "C1")
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			reqs := f.requests()
			assert.Len(t, reqs, tt.calls)
			for _, r := range reqs {
				assert.Equal(t, cust+"/v2/lists/C1", r.Path, "every page is read from the client's own URL")
			}
		})
	}
}
