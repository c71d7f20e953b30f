package routes

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestBuildersEscapeParameters(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{"id", RuleEdit(42), "/admin/rules/42"},
		{"two parameters", CatalogPreviewStep(7, 3), "/admin/catalog/7/preview/step/3"},
		{"token", CandidateStepShow("tok", 2), "/a/tok/step/2"},
		{"slash in token", CandidateShow("a/b"), "/a/a%2Fb"},
		{"query in token", ReportShow("x?y=1#z"), "/r/x%3Fy=1%23z"},
		{"catch-all", Sandbox("marketplace"), "/sandbox/marketplace"},
		{"no parameters", LogsList(), "/admin/integrations/icims/logs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { assert.Equal(t, tt.want, tt.got) })
	}
}

func TestNamesAreUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range All() {
		assert.False(t, seen[r.Name], "route %s declared twice", r.Name)
		seen[r.Name] = true
	}
}
