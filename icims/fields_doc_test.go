package icims

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var updateFieldsDoc = flag.Bool("update", false, "rewrite docs/icims-fields.md from FieldUses")

// fieldsDocPath is the page iCIMS's approval asks for, beside the other docs.
var fieldsDocPath = filepath.Join("..", "docs", "icims-fields.md")

// profileSections are the page's sections, in order, with what each holds.
var profileSections = []struct{ profile, title, intro string }{
	{ProfilePerson, "Person (`person`)", "The candidate's profile: `GET /people/{id}` and `PATCH /people/{id}`."},
	{ProfileJob, "Job (`job`)", "The job's profile: `GET /jobs/{id}`."},
	{ProfileApplicantWorkflow, "Applicant workflow (`applicantworkflow`)", "The application: `GET /applicantworkflows/{id}` and `PATCH /applicantworkflows/{id}`."},
	{ProfileAssessmentResults, "Assessment results row (`applicantworkflow.assessmentresults`)",
		"One row per invitation: `POST /applicantworkflows/{id}/fields/assessmentresults` when the invitation is sent, then `PATCH` of that row as its status changes. Only the subfields that have a value are sent, so a status update never clears the score or the link."},
	{ProfileLists, "Lists", "`GET /v2/lists/lists.customfields_lists`, then `GET /v2/lists/{node id}` of each custom list found (paged, at most 1000 children a call), when the catalog loads the Assessment Type and Assessment Name nodes."},
	{ProfileEvent, "Events iCIMS sends (`POST /icims/events`)",
		"The JSON keys JobCannon reads from `WorkFlowStatusChangeEvent` and `AssessmentEvent`. Other keys are ignored. A missing required key is answered `400` with a message naming it (with the placeholder shown when iCIMS has a profile field for it)."},
}

// fieldsMarkdown renders the page from FieldUses.
func fieldsMarkdown() string {
	var b strings.Builder
	b.WriteString("# iCIMS fields JobCannon reads and writes\n\n")
	b.WriteString("<!-- Generated from icims.FieldUses (icims/fields.go) by `go test ./icims/ -run TestFieldsDoc -update`. Do not edit by hand. -->\n\n")
	b.WriteString("Every iCIMS field the product uses, by profile and access type, as iCIMS asks of an approved integration. ")
	b.WriteString("The client's `fields=` lists are built from the same table, and tests fail when a JSON key the client writes or decodes is not in it, or when this page is stale. ")
	b.WriteString("(The client can also create people and applications; only `jobcannon bench` does, against the simulator, so those writes never reach a customer's iCIMS and are not listed.)\n\n")
	b.WriteString("- **Always** marks fields asked for on every read of the profile (its `fields=` list); the others are read only when a feature needs them.\n")
	b.WriteString("- A field written as a pattern (such as `rcf####`) is a family of the customer's own fields, named in JobCannon's configuration rather than in the code.\n")
	b.WriteString("- A placeholder such as `{{applicantworkflow.status}}` is how JobCannon's error messages name the field, which iCIMS shows as the field's display name.\n\n")
	for _, s := range profileSections {
		b.WriteString("## " + s.title + "\n\n" + s.intro + "\n\n")
		b.WriteString("| field | access | always | placeholder | used for |\n|---|---|---|---|---|\n")
		for _, f := range FieldUses() {
			if f.Profile != s.profile {
				continue
			}
			field := "`" + f.Field + "`"
			if f.Pattern {
				field += " (per customer)"
			}
			always, placeholder := "", ""
			if f.Always {
				always = "yes"
			}
			if f.Placeholder != "" {
				placeholder = "`{{" + f.Placeholder + "}}`"
			}
			b.WriteString("| " + field + " | " + string(f.Access) + " | " + always + " | " + placeholder + " | " + strings.ReplaceAll(f.Purpose, "|", "\\|") + " |\n")
		}
		b.WriteString("\n")
	}
	b.WriteString("## Scorecard custom fields\n\n")
	b.WriteString("Which person fields receive scores is each customer's choice. Create the custom fields in iCIMS first ")
	b.WriteString("(a number field for scores and percentiles, a text field for the verdict or the report link), then map them ")
	b.WriteString("in JobCannon: Admin > Catalog > a package > Scorecard fields in iCIMS, one row per field id (`rcf` and digits, such as `rcf3001`) ")
	b.WriteString("and the value it receives. Saving the package checks in iCIMS that each field exists and holds the right kind of value. ")
	b.WriteString("A mapped field iCIMS does not have is reported as \"Scorecard field not found\"; the other fields are still written.\n")
	return b.String()
}

func TestFieldsDocIsGenerated(t *testing.T) {
	want := fieldsMarkdown()
	if *updateFieldsDoc {
		require.NoError(t, os.WriteFile(fieldsDocPath, []byte(want), 0o644))
	}
	got, err := os.ReadFile(fieldsDocPath)
	require.NoError(t, err, "run: go test ./icims/ -run TestFieldsDoc -update")
	assert.Equal(t, want, string(got), "docs/icims-fields.md is stale; run: go test ./icims/ -run TestFieldsDoc -update")
}

func TestFieldsDocHasEveryProfile(t *testing.T) {
	for _, f := range FieldUses() {
		found := false
		for _, s := range profileSections {
			found = found || s.profile == f.Profile
		}
		assert.True(t, found, "%s.%s has no section on the page", f.Profile, f.Field)
	}
}
