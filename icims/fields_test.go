package icims

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// declared reports whether the table lists field for profile and access.
func declared(profile, field string, access Access) bool {
	for _, f := range FieldUses() {
		if f.Profile == profile && f.Field == field && f.Access == access {
			return true
		}
	}
	return false
}

// jsonKeys returns the JSON keys of a struct's fields; a slice of structs
// adds its element's keys under "key.".
func jsonKeys(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "-" || !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		out = append(out, name)
		if et := sf.Type; et.Kind() == reflect.Slice && et.Elem().Kind() == reflect.Struct {
			for _, sub := range jsonKeys(et.Elem()) {
				out = append(out, name+"."+sub)
			}
		}
	}
	return out
}

func TestFieldTableListsEveryStructTag(t *testing.T) {
	cases := []struct {
		name    string
		typ     reflect.Type
		profile string
		access  Access
	}{
		{"assessment results row, as written", reflect.TypeFor[AssessmentResult](), ProfileAssessmentResults, Write},
		{"event, as decoded from the wire", reflect.TypeFor[wireEvent](), ProfileEvent, Read},
		{"event, as handed on", reflect.TypeFor[Event](), ProfileEvent, Read},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			keys := jsonKeys(c.typ)
			require.NotEmpty(t, keys)
			for _, k := range keys {
				assert.True(t, declared(c.profile, k, c.access), "%s uses %s.%s (%s) but FieldUses does not list it", c.typ, c.profile, k, c.access)
			}
		})
	}
}

func TestFieldTableIsWhatTheClientAsksFor(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request) { reply(w, 200, `{}`) })
	c := f.client(t, nil)
	ctx := context.Background()
	cases := []struct {
		profile string
		get     func() error
		want    string
	}{
		{ProfilePerson, func() error { _, err := c.GetPerson(ctx, "1", nil); return err }, "firstname,lastname,email"},
		{ProfileJob, func() error { _, err := c.GetJob(ctx, "1", nil); return err }, "jobtitle,assessmenttype,folder,joblocation"},
		{ProfileApplicantWorkflow, func() error { _, err := c.GetApplicantWorkflow(ctx, "1", nil); return err }, "baseprofile,associatedprofile,status"},
	}
	for _, tc := range cases {
		t.Run(tc.profile, func(t *testing.T) {
			require.NoError(t, tc.get())
			q, err := url.ParseQuery(f.last(t).RawQuery)
			require.NoError(t, err)
			assert.Equal(t, tc.want, q.Get("fields"))
			assert.Equal(t, tc.want, strings.Join(alwaysRead(tc.profile), ","))
		})
	}
}

func TestFieldTableListsTheStatusMoveBody(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request) { reply(w, 204, "") })
	_, err := f.client(t, nil).PatchWorkflowStatus(context.Background(), "3001", "C51002")
	require.NoError(t, err)
	var body map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(f.last(t).Body, &body))
	require.NotEmpty(t, body)
	for k := range body {
		assert.True(t, declared(ProfileApplicantWorkflow, k, Write), "PatchWorkflowStatus writes %s, which FieldUses does not list", k)
	}
}

func TestFieldTableIsWellFormed(t *testing.T) {
	seen := map[string]bool{}
	profiles := []string{ProfilePerson, ProfileJob, ProfileApplicantWorkflow, ProfileAssessmentResults, ProfileLists, ProfileEvent}
	for _, f := range FieldUses() {
		key := f.Profile + " " + f.Field + " " + string(f.Access)
		assert.False(t, seen[key], "listed twice: %s", key)
		seen[key] = true
		assert.Contains(t, profiles, f.Profile, key)
		assert.Contains(t, []Access{Read, Write}, f.Access, key)
		assert.NotEmpty(t, f.Purpose, key)
		assert.False(t, f.Always && (f.Access != Read || f.Pattern), "only a named field can always be read: %s", key)
		if f.Placeholder != "" {
			p, _, ok := strings.Cut(f.Placeholder, ".")
			assert.True(t, ok && (p == ProfilePerson || p == ProfileJob || p == ProfileApplicantWorkflow), "placeholder %s", f.Placeholder)
		}
	}
}

func TestFieldPlaceholder(t *testing.T) {
	assert.Equal(t, "{{applicantworkflow.id}}", FieldPlaceholder("systemId"))
	assert.Equal(t, "{{applicantworkflow.status}}", FieldPlaceholder("newStatus"))
	assert.Equal(t, "{{person.id}}", FieldPlaceholder("personId"))
	assert.Equal(t, "returnUrl", FieldPlaceholder("returnUrl"), "no iCIMS field: the JSON key itself")
	assert.Equal(t, "eventType", FieldPlaceholder("eventType"))
}
