package icimstest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// searchFilter is one filter of iCIMS's searchJson.
type searchFilter struct {
	name   string
	values []string
	// secondary is a date filter's end (secondaryValue); the value is its
	// start.
	secondary []string
	op        string
}

// searchGroup is a filter group: filters and child groups joined by & or |.
type searchGroup struct {
	filters  []searchFilter
	op       string
	children []searchGroup
}

// searchField is what a filter name resolves to: how to read the values of
// a profile and which operators apply.
type searchField struct {
	typ string // number, text or select
	get func(p *profile) []string
}

func searchErr(format string, args ...any) *apiError {
	return badRequest(codeInvalid, fmt.Sprintf(format, args...))
}

// parseSearchGroup reads a filter group, refusing unknown attributes as
// iCIMS does.
func parseSearchGroup(raw json.RawMessage) (searchGroup, *apiError) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return searchGroup{}, searchErr("An unknown parsing error occurred")
	}
	g := searchGroup{op: "&"}
	for k, v := range m {
		switch k {
		case "filters":
			var items []json.RawMessage
			if err := json.Unmarshal(v, &items); err != nil {
				return g, searchErr("An unknown parsing error occurred")
			}
			for _, item := range items {
				f, aerr := parseSearchFilter(item)
				if aerr != nil {
					return g, aerr
				}
				g.filters = append(g.filters, f)
			}
		case "operator":
			if err := json.Unmarshal(v, &g.op); err != nil {
				return g, searchErr("An unknown parsing error occurred")
			}
			if g.op == "" {
				g.op = "&" // an empty operator counts as omitted
			}
			if g.op != "&" && g.op != "|" {
				return g, searchErr("The following group operator is not valid in the given context: %s", g.op)
			}
		case "children":
			var items []json.RawMessage
			if err := json.Unmarshal(v, &items); err != nil {
				return g, searchErr("An unknown parsing error occurred")
			}
			for _, item := range items {
				child, aerr := parseSearchGroup(item)
				if aerr != nil {
					return g, aerr
				}
				g.children = append(g.children, child)
			}
		default:
			return g, searchErr("The following group attribute is unrecognized: %s", k)
		}
	}
	return g, nil
}

func parseSearchFilter(raw json.RawMessage) (searchFilter, *apiError) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return searchFilter{}, searchErr("An unknown parsing error occurred")
	}
	f := searchFilter{op: "="}
	for k, v := range m {
		switch k {
		case "name":
			if err := json.Unmarshal(v, &f.name); err != nil {
				return f, searchErr("An unknown parsing error occurred")
			}
		case "value", "secondaryValue":
			var vals []any
			if err := json.Unmarshal(v, &vals); err != nil {
				return f, searchErr("An unknown parsing error occurred")
			}
			for _, x := range vals {
				if k == "value" {
					f.values = append(f.values, fmt.Sprint(x))
				} else {
					f.secondary = append(f.secondary, fmt.Sprint(x))
				}
			}
		case "operator":
			if err := json.Unmarshal(v, &f.op); err != nil {
				return f, searchErr("An unknown parsing error occurred")
			}
			if f.op == "" {
				f.op = "=" // an empty operator counts as omitted
			}
		default:
			return f, searchErr("The following filter attribute is unrecognized: %s", k)
		}
	}
	if f.name == "" {
		return f, searchErr("The following filter is either not valid or hidden: %s", f.name)
	}
	return f, nil
}

func countFilters(g searchGroup) int {
	n := len(g.filters)
	for _, c := range g.children {
		n += countFilters(c)
	}
	return n
}

// searchFieldFor resolves a filter name for a search kind.
func (c *customer) searchFieldFor(kind, name string) (searchField, bool) {
	id := func(p *profile) []string { return []string{strconv.Itoa(p.id)} }
	text := func(key string) searchField {
		return searchField{"text", func(p *profile) []string {
			if s, ok := p.fields[key].(string); ok {
				return []string{s}
			}
			return nil
		}}
	}
	number := func(key string) searchField {
		return searchField{"number", func(p *profile) []string {
			switch v := p.fields[key].(type) {
			case int:
				return []string{strconv.Itoa(v)}
			case float64:
				return []string{strconv.FormatFloat(v, 'f', -1, 64)}
			}
			return nil
		}}
	}
	selectField := func(key string) searchField {
		return searchField{"select", func(p *profile) []string {
			switch v := p.fields[key].(type) {
			case node:
				return []string{v.ID, v.Value}
			case []node:
				var out []string
				for _, n := range v {
					out = append(out, n.ID, n.Value)
				}
				return out
			}
			return nil
		}}
	}
	switch kind {
	case "people":
		field, ok := strings.CutPrefix(name, "person.")
		if !ok {
			return searchField{}, false
		}
		switch field {
		case "id":
			return searchField{"number", id}, true
		case "firstname", "middlename", "lastname", "email":
			return text(field), true
		case "emailaddress":
			return text("email"), true
		}
		// Custom fields: person.customfield3001.text / .number.
		if rest, ok := strings.CutPrefix(field, "customfield"); ok {
			num, typ, _ := strings.Cut(rest, ".")
			def, found := findDef(c.personDefs(), "rcf"+num)
			switch {
			case !found:
			case typ == "text" && def.typ == ftText:
				return text(def.id), true
			case typ == "number" && def.typ == ftDecimal:
				return number(def.id), true
			}
		}
	case "jobs":
		field, ok := strings.CutPrefix(name, "job.")
		if !ok {
			return searchField{}, false
		}
		switch field {
		case "id":
			return searchField{"number", id}, true
		case "jobtitle":
			return text("jobtitle"), true
		case "folder":
			return selectField("folder"), true
		case "updateddate":
			return searchField{"datetime", func(p *profile) []string { return []string{p.updated.Format(DateTimeFormat)} }}, true
		}
	case "applicantworkflows":
		field, ok := strings.CutPrefix(name, "applicantworkflow.")
		if !ok {
			return searchField{}, false
		}
		switch field {
		case "id":
			return searchField{"number", id}, true
		case "status":
			return selectField("status"), true
		case "person.id":
			return number("associatedprofile"), true
		case "job.id":
			return number("baseprofile"), true
		}
	}
	return searchField{}, false
}

// validOps are the filter operators each field type accepts.
func validOps(typ string) []string {
	switch typ {
	case "number", "datetime":
		return []string{"=", "!=", "<", ">", "<=", ">="}
	case "text":
		return []string{"=", "==", "!=", "!=="}
	}
	return []string{"=", "!="}
}

type compiledFilter struct {
	searchFilter
	field searchField
}

type compiledGroup struct {
	filters  []compiledFilter
	op       string
	children []compiledGroup
}

func (c *customer) compileSearch(kind string, g searchGroup) (compiledGroup, *apiError) {
	out := compiledGroup{op: g.op}
	for _, f := range g.filters {
		field, ok := c.searchFieldFor(kind, f.name)
		if !ok {
			return out, searchErr("The following filter is either not valid or hidden: %s", f.name)
		}
		if !slices.Contains(validOps(field.typ), f.op) {
			return out, searchErr("The following filter operator is not valid in the given context: %s", f.op)
		}
		out.filters = append(out.filters, compiledFilter{f, field})
	}
	for _, child := range g.children {
		cg, aerr := c.compileSearch(kind, child)
		if aerr != nil {
			return out, aerr
		}
		out.children = append(out.children, cg)
	}
	return out, nil
}

func (f compiledFilter) match(p *profile) bool {
	have := f.field.get(p)
	switch f.field.typ {
	case "number":
		return matchNumber(have, f.values, f.op)
	case "datetime":
		return matchDate(have, f.values, f.secondary, f.op)
	case "text":
		anyMatch := func(eq func(h, v string) bool) bool {
			for _, h := range have {
				for _, v := range f.values {
					if eq(strings.ToLower(h), strings.ToLower(v)) {
						return true
					}
				}
			}
			return false
		}
		exact := func(h, v string) bool { return h == v }
		switch f.op {
		case "=":
			return anyMatch(strings.Contains)
		case "==":
			return anyMatch(exact)
		case "!=":
			return !anyMatch(strings.Contains)
		default:
			return !anyMatch(exact)
		}
	}
	hit := false
	for _, h := range have {
		for _, v := range f.values {
			if strings.EqualFold(h, v) {
				hit = true
			}
		}
	}
	return hit == (f.op == "=")
}

func matchNumber(have, values []string, op string) bool {
	var hs, vs []float64
	for _, h := range have {
		if x, err := strconv.ParseFloat(h, 64); err == nil {
			hs = append(hs, x)
		}
	}
	for _, v := range values {
		if x, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
			vs = append(vs, x)
		}
	}
	if op == "=" || op == "!=" {
		hit := false
		for _, h := range hs {
			if slices.Contains(vs, h) {
				hit = true
			}
		}
		return hit == (op == "=")
	}
	if len(hs) == 0 || len(vs) == 0 {
		return false
	}
	h, v := hs[0], vs[0]
	switch op {
	case "<":
		return h < v
	case ">":
		return h > v
	case "<=":
		return h <= v
	default:
		return h >= v
	}
}

func (g compiledGroup) match(p *profile) bool {
	results := make([]bool, 0, len(g.filters)+len(g.children))
	for _, f := range g.filters {
		results = append(results, f.match(p))
	}
	for _, child := range g.children {
		results = append(results, child.match(p))
	}
	if g.op == "|" {
		return slices.Contains(results, true)
	}
	return !slices.Contains(results, false)
}
