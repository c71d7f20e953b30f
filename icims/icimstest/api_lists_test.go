package icimstest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// children returns the (id, value) pairs of a list level.
func children(t *testing.T, m map[string]any) [][2]string {
	t.Helper()
	raw, ok := m["children"].([]any)
	require.True(t, ok, "a list level carries its children: %v", m)
	var out [][2]string
	for _, c := range raw {
		n := c.(map[string]any)
		out = append(out, [2]string{n["id"].(string), n["value"].(string)})
	}
	return out
}

func TestListsNameStandardListsOnly(t *testing.T) {
	srv := icimstest.Start(t)
	for _, cid := range []string{icimstest.CustomerUS, icimstest.CustomerEU} {
		m := do(t, srv, basicAuth(cid), "GET", api(cid, "v2/lists"), nil).json(t)
		ids := m["lists"].([]any)
		assert.Contains(t, ids, icimstest.ListSources)
		assert.Contains(t, ids, icimstest.ListWorkflowStatuses)
		assert.Contains(t, ids, icimstest.ListCustomLists)
		for _, id := range ids {
			assert.True(t, strings.HasPrefix(id.(string), "lists."), "custom lists have no list id: %v", id)
		}
	}
}

func TestListsCustomListsAreChildrenOfCustomFieldsLists(t *testing.T) {
	srv := icimstest.Start(t)
	tests := []struct {
		cid          string
		types, names string
	}{
		{icimstest.CustomerUS, icimstest.ListAssessmentTypes, icimstest.ListAssessmentNames},
		{icimstest.CustomerEU, icimstest.ListAssessmentTypesEU, icimstest.ListAssessmentNamesEU},
	}
	for _, tt := range tests {
		t.Run(tt.cid, func(t *testing.T) {
			a := basicAuth(tt.cid)
			m := do(t, srv, a, "GET", api(tt.cid, "v2/lists/"+icimstest.ListCustomLists), nil).json(t)
			got := children(t, m)
			assert.Contains(t, got, [2]string{tt.types, "Assessment Type"})
			assert.Contains(t, got, [2]string{tt.names, "Assessment Name"})
			child := m["children"].([]any)[0].(map[string]any)
			href := child["_links"].(map[string]any)["children"].(map[string]any)["href"].(string)
			assert.True(t, strings.HasSuffix(href, "/customers/"+tt.cid+"/v2/lists/"+child["id"].(string)), "a custom list links to its own level: %s", href)

			for _, list := range []string{tt.types, tt.names} {
				m := do(t, srv, a, "GET", api(tt.cid, "v2/lists/"+list), nil).json(t)
				assert.Equal(t, list, m["id"])
				values := children(t, m)
				require.NotEmpty(t, values)
				assert.Equal(t, "Big Five Work Personality", values[0][1], "the vendor's packages are in both lists")
				assert.NotContains(t, m["_links"], "next", "one page holds a short list")
			}
		})
	}
	t.Run("a customer reads only its own custom lists", func(t *testing.T) {
		r := do(t, srv, basicAuth(icimstest.CustomerEU), "GET", api(icimstest.CustomerEU, "v2/lists/"+icimstest.ListAssessmentTypes), nil)
		assert.Equal(t, http.StatusNotFound, r.status)
		assert.Equal(t, 2, r.errorCode(t))
	})
}

func TestListsPageAtMostOneThousandChildren(t *testing.T) {
	srv := icimstest.Start(t)
	nodes := make([]icimstest.ListNode, 1500)
	for i := range nodes {
		nodes[i] = icimstest.ListNode{ID: fmt.Sprintf("C9%04d", i), Value: fmt.Sprintf("Package %d", i)}
	}
	require.NoError(t, srv.SetCustomList(us, "C90000", "Assessment Type", nodes))
	a := basicAuth(us)

	m := do(t, srv, a, "GET", api(us, "v2/lists/C90000?size=5000"), nil).json(t)
	first := children(t, m)
	assert.Len(t, first, 1000, "size is capped at 1000")
	next := m["_links"].(map[string]any)["next"].(map[string]any)["href"].(string)

	m = do(t, srv, a, "GET", next, nil).json(t)
	second := children(t, m)
	assert.Len(t, second, 500)
	assert.Equal(t, [2]string{"C91000", "Package 1000"}, second[0], "the next page starts where the first ended")
	assert.NotContains(t, m["_links"], "next")

	m = do(t, srv, a, "GET", api(us, "v2/lists/"+icimstest.ListWorkflowStatuses+"?size=4"), nil).json(t)
	assert.Len(t, children(t, m), 4)
	assert.Contains(t, m["_links"], "next")

	for _, q := range []string{"size=0", "size=x", "offset=-1"} {
		r := do(t, srv, a, "GET", api(us, "v2/lists/lists.sources?"+q), nil)
		assert.Equal(t, http.StatusBadRequest, r.status, q)
	}
	r := do(t, srv, a, "GET", api(us, "v2/lists/lists.nothing"), nil)
	assert.Equal(t, http.StatusNotFound, r.status)
	assert.Equal(t, 2, r.errorCode(t))
}

func TestListsResultRowNamesANodeOfEitherList(t *testing.T) {
	srv := icimstest.Start(t)
	a := basicAuth(us)
	rows := api(us, "applicantworkflows/3001/fields/assessmentresults")
	for _, tt := range []struct {
		node   string
		status int
	}{
		{icimstest.AssessmentBigFive, http.StatusCreated},
		{icimstest.AssessmentNameWorkStyle, http.StatusCreated},
		{"C43001", http.StatusBadRequest}, // a node of an unrelated custom list
	} {
		r := do(t, srv, a, "POST", rows, map[string]any{
			"assessmentname":   map[string]string{"id": tt.node},
			"assessmentstatus": map[string]string{"id": icimstest.AssessmentSent},
		})
		assert.Equal(t, tt.status, r.status, "%s: %s", tt.node, r.body)
	}
	res, err := srv.Results(us, icimstest.USWorkflow1)
	require.NoError(t, err)
	require.Len(t, res, 2)
	assert.Equal(t, icimstest.AssessmentNameWorkStyle, res[1].AssessmentName)
}
