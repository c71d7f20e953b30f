package icims_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// listCalls counts the simulator's list calls for a customer.
func listCalls(srv *icimstest.Server, cid string) []icimstest.Call {
	var out []icimstest.Call
	for _, c := range srv.Calls(cid) {
		if strings.Contains(c.Path, "/v2/lists") {
			out = append(out, c)
		}
	}
	return out
}

func TestListsCustomListsFoundUnderCustomFieldsLists(t *testing.T) {
	ctx := context.Background()
	srv := icimstest.Start(t)
	tests := []struct {
		cid          string
		types, names string
		typeNodes    int
	}{
		{icimstest.CustomerUS, icimstest.ListAssessmentTypes, icimstest.ListAssessmentNames, 3},
		{icimstest.CustomerEU, icimstest.ListAssessmentTypesEU, icimstest.ListAssessmentNamesEU, 2},
	}
	for _, tt := range tests {
		t.Run(tt.cid, func(t *testing.T) {
			c := basicClient(t, srv, tt.cid)
			// Names as an admin might configure them: case and spaces differ.
			got, err := c.CustomLists(ctx, "assessment TYPE", " Assessment Name ", "No Such List")
			require.NoError(t, err)
			require.Len(t, got, 2, "the missing name is absent")
			assert.Equal(t, tt.types, got["assessment TYPE"].ID)
			assert.Equal(t, "Assessment Type", got["assessment TYPE"].Value)
			assert.Len(t, got["assessment TYPE"].Nodes, tt.typeNodes)
			assert.Equal(t, tt.names, got[" Assessment Name "].ID)
			n, ok := got[" Assessment Name "].NodeByValue("big five work personality")
			assert.True(t, ok, "the vendor's packages are in the Assessment Name list too")
			assert.True(t, strings.HasPrefix(n.ID, "C"))
		})
	}
}

func TestListsCustomListsOneLevelPerCall(t *testing.T) {
	ctx := context.Background()
	srv := icimstest.Start(t)
	c := basicClient(t, srv, us)
	_, err := c.CustomLists(ctx, "Assessment Type")
	require.NoError(t, err)
	var paths []string
	for _, call := range listCalls(srv, us) {
		paths = append(paths, call.Path[strings.Index(call.Path, "/v2/"):])
	}
	assert.Equal(t, []string{"/v2/lists/" + icims.ListCustomLists, "/v2/lists/" + icimstest.ListAssessmentTypes}, paths,
		"the custom lists, then the one asked for; never GET /v2/lists")
}

func TestListsGetListFollowsPages(t *testing.T) {
	ctx := context.Background()
	srv := icimstest.Start(t)
	for _, n := range []int{1000, 1001, 2500} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			srv.Reset()
			nodes := make([]icimstest.ListNode, n)
			for i := range nodes {
				nodes[i] = icimstest.ListNode{ID: fmt.Sprintf("C9%05d", i), Value: fmt.Sprintf("Package %d", i)}
			}
			require.NoError(t, srv.SetCustomList(us, icimstest.ListAssessmentTypes, "Assessment Type", nodes))
			l, err := basicClient(t, srv, us).GetList(ctx, icimstest.ListAssessmentTypes)
			require.NoError(t, err)
			require.Len(t, l.Nodes, n)
			assert.Equal(t, icims.ListNode{ID: fmt.Sprintf("C9%05d", n-1), Value: fmt.Sprintf("Package %d", n-1)}, l.Nodes[n-1])
			calls := listCalls(srv, us)
			assert.Len(t, calls, (n+999)/1000, "1000 children a call")
			for _, call := range calls {
				assert.Contains(t, call.Query, "size=1000")
			}
		})
	}
}
