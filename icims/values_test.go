package icims

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDateTimeJSON(t *testing.T) {
	tests := []struct {
		name string
		in   DateTime
		json string
	}{
		{"evening", NewDateTime(time.Date(2019, 4, 10, 19, 12, 59, 0, time.UTC)), `"2019-04-10 07:12 PM"`},
		{"midnight", NewDateTime(time.Date(2019, 4, 10, 0, 5, 0, 0, time.UTC)), `"2019-04-10 12:05 AM"`},
		{"noon from another zone", NewDateTime(time.Date(2019, 4, 10, 14, 0, 0, 0, time.FixedZone("EDT", 2*3600))), `"2019-04-10 12:00 PM"`},
		{"zero", DateTime{}, `null`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.json, string(b))
			var back DateTime
			require.NoError(t, json.Unmarshal(b, &back))
			assert.True(t, tt.in.Equal(back.Time), "round trip %v != %v", tt.in, back)
			if !back.IsZero() {
				assert.Equal(t, time.UTC, back.Location())
			}
		})
	}
}

func TestDateJSON(t *testing.T) {
	d := NewDate(time.Date(2019, 4, 10, 23, 30, 0, 0, time.UTC))
	b, err := json.Marshal(d)
	require.NoError(t, err)
	assert.Equal(t, `"2019-04-10"`, string(b))
	var back Date
	require.NoError(t, json.Unmarshal(b, &back))
	assert.True(t, d.Equal(back.Time))

	// A time east of UTC still names the UTC day.
	assert.Equal(t, 9, NewDate(time.Date(2019, 4, 10, 1, 0, 0, 0, time.FixedZone("CEST", 2*3600))).Day())
}

func TestTimeUnmarshalEmptyAndBad(t *testing.T) {
	for _, in := range []string{`null`, `""`, `"  "`} {
		var dt DateTime
		require.NoError(t, json.Unmarshal([]byte(in), &dt), in)
		assert.True(t, dt.IsZero())
		var d Date
		require.NoError(t, json.Unmarshal([]byte(in), &d), in)
		assert.True(t, d.IsZero())
	}
	for _, in := range []string{`"2019-04-10T19:12:00Z"`, `"2019-04-10 19:12"`, `12`} {
		var dt DateTime
		assert.Error(t, json.Unmarshal([]byte(in), &dt), in)
	}
	var d Date
	assert.Error(t, json.Unmarshal([]byte(`"10/04/2019"`), &d))
}

func TestListNodeAndProfileRefJSON(t *testing.T) {
	b, err := json.Marshal(ListNode{ID: StatusComplete})
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":"D37002019001"}`, string(b))

	var n ListNode
	require.NoError(t, json.Unmarshal([]byte(`{"id":"C123","value":"Big Five","extra":1}`), &n))
	assert.Equal(t, ListNode{ID: "C123", Value: "Big Five"}, n)

	var refs []ProfileRef
	require.NoError(t, json.Unmarshal([]byte(`[{"profile":"https://api.icims.com/customers/1/people/1930","id":"1930","value":"Jane Doe"},{"id":1931}]`), &refs))
	assert.Equal(t, []ProfileRef{
		{Profile: "https://api.icims.com/customers/1/people/1930", ID: "1930", Value: "Jane Doe"},
		{ID: "1931"},
	}, refs)
	b, err = json.Marshal(refs[0])
	require.NoError(t, err)
	var back ProfileRef
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, refs[0], back)
}

func TestAssessmentResultJSON(t *testing.T) {
	zero := 0.0
	tests := []struct {
		name string
		in   AssessmentResult
		want string
	}{
		{"sent row", AssessmentResult{
			Name:   &ListNode{ID: "C100"},
			Status: &ListNode{ID: StatusSent},
			Date:   NewDateTime(time.Date(2019, 4, 10, 19, 12, 0, 0, time.UTC)),
		}, `{"assessmentname":{"id":"C100"},"assessmentstatus":{"id":"D37002019004"},"assessmentdate":"2019-04-10 07:12 PM"}`},
		{"status only leaves the rest alone", AssessmentResult{Status: &ListNode{ID: StatusInProgress}}, `{"assessmentstatus":{"id":"D37002019003"}}`},
		{"zero score is sent", AssessmentResult{Status: &ListNode{ID: StatusComplete}, Score: &zero, Result: "Not recommended",
			Notes: "n", URL: "https://jobcannon.test/r/x"},
			`{"assessmentstatus":{"id":"D37002019001"},"assessmentscore":0,"assessmentresult":"Not recommended","assessmentnotes":"n","assessmenturl":"https://jobcannon.test/r/x"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.in)
			require.NoError(t, err)
			assert.JSONEq(t, tt.want, string(b))
			var back AssessmentResult
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, tt.in, back)
		})
	}
}

func TestAssessmentResultValidate(t *testing.T) {
	assert.NoError(t, AssessmentResult{Result: strings.Repeat("é", 128), Notes: strings.Repeat("x", 192)}.Validate())
	assert.ErrorContains(t, AssessmentResult{Result: strings.Repeat("x", 129)}.Validate(), "assessmentresult")
	assert.ErrorContains(t, AssessmentResult{Notes: strings.Repeat("x", 193)}.Validate(), "assessmentnotes")
}
