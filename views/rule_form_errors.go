package views

import (
	"strconv"
	"strings"
)

// ruleFields names each rule form field's element id and label, for the
// error summary's links.
var ruleFields = map[string][2]string{
	"name": {"f-name", "Name"}, "mode": {"f-mode", "When it sends"}, "jobs": {"f-jobs", "Jobs"},
	"job_ids": {"f-job_ids", "Chosen job ids"}, "folders": {"f-folders", "Folders"},
	"package_id": {"f-package", "Package"}, "job_field": {"f-job_field", "Job field"},
	"sources": {"f-sources", "Application source"}, "second_package_id": {"f-second", "Second package"},
	"move_if_recommended": {"f-move-yes", "Move when Recommended"}, "move_otherwise": {"f-move-no", "Otherwise move to"},
}

// ruleField is a rule form field's element id and label; ok is false for
// a problem no field shows (it goes in the summary alone).
func ruleField(name string) (id, label string, ok bool) {
	if f, found := ruleFields[name]; found {
		return f[0], f[1], true
	}
	if n, found := strings.CutPrefix(name, "to_"); found {
		if i, err := strconv.Atoi(n); err == nil {
			return "f-to-" + n, "Status move " + strconv.Itoa(i+1), true
		}
	}
	return "", "", false
}

// msg is the problem shown at a field ("" when it is fine).
func (f RuleForm) msg(field string) string {
	for _, p := range f.Problems {
		if p.Field == field {
			return p.Message
		}
	}
	return ""
}

// summary is every problem, in the order of the checks, each linking to
// its field.
func (f RuleForm) summary() []FieldError {
	var out []FieldError
	for _, p := range f.Problems {
		id, label, _ := ruleField(p.Field)
		out = append(out, FieldError{ID: id, Label: label, Message: p.Message})
	}
	return out
}
