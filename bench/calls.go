package bench

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// callKinds name the iCIMS calls a candidate costs, by method and the end
// of the path, in the order a breakdown lists them. A call that matches
// none is counted under its method and resource ("GET v2", …).
var callKinds = []struct {
	name   string
	method string
	path   *regexp.Regexp
}{
	{"GET people", http.MethodGet, regexp.MustCompile(`/people/[^/]+$`)},
	{"GET jobs", http.MethodGet, regexp.MustCompile(`/jobs/[^/]+$`)},
	{"GET workflow", http.MethodGet, regexp.MustCompile(`/applicantworkflows/[^/]+$`)},
	{"POST row", http.MethodPost, regexp.MustCompile(`/applicantworkflows/[^/]+/fields/assessmentresults$`)},
	{"PATCH row", http.MethodPatch, regexp.MustCompile(`/applicantworkflows/[^/]+/fields/assessmentresults/[^/]+$`)},
	{"PATCH people", http.MethodPatch, regexp.MustCompile(`/people/[^/]+$`)},
	{"PATCH workflow", http.MethodPatch, regexp.MustCompile(`/applicantworkflows/[^/]+$`)},
}

// callName names one recorded call for the breakdown.
func callName(c icimstest.Call) string {
	for _, k := range callKinds {
		if c.Method == k.method && k.path.MatchString(c.Path) {
			return k.name
		}
	}
	_, rest, _ := strings.Cut(c.Path, "/customers/")
	parts := strings.Split(rest, "/")
	if len(parts) > 1 {
		return c.Method + " " + parts[1]
	}
	return c.Method + " " + c.Path
}

// CallsByName counts calls by kind.
func CallsByName(calls []icimstest.Call) map[string]int {
	out := map[string]int{}
	for _, c := range calls {
		out[callName(c)]++
	}
	return out
}

// CallsPerCandidate words calls per candidate with the breakdown by kind, e.g.
// "4.05 (GET people 1.00, GET jobs 0.01, POST row 1.00, PATCH row 2.04)":
// the known kinds first in their order, then any others by name.
func CallsPerCandidate(calls []icimstest.Call, candidates int) string {
	if candidates == 0 {
		return "no candidates"
	}
	counts := CallsByName(calls)
	var names []string
	for _, k := range callKinds {
		if counts[k.name] > 0 {
			names = append(names, k.name)
		}
	}
	var others []string
	for name := range counts {
		if !slices.Contains(names, name) {
			others = append(others, name)
		}
	}
	slices.Sort(others)
	parts := make([]string, 0, len(counts))
	for _, name := range append(names, others...) {
		parts = append(parts, fmt.Sprintf("%s %.2f", name, float64(counts[name])/float64(candidates)))
	}
	return fmt.Sprintf("%.2f (%s)", float64(len(calls))/float64(candidates), strings.Join(parts, ", "))
}
