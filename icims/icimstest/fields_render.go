package icimstest

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// render turns a stored value into its JSON form.
func (s *Sim) renderLocked(c *customer, def fieldDef, v any) any {
	switch def.typ {
	case ftNode:
		n, ok := v.(node)
		if !ok {
			// Source Name written by an integration is text, not a node.
			return v
		}
		return map[string]any{"id": n.ID, "value": n.Value}
	case ftNodes:
		var out []any
		for _, n := range v.([]node) {
			out = append(out, map[string]any{"id": n.ID, "value": n.Value})
		}
		return out
	case ftRef:
		id := v.(int)
		return map[string]any{
			"profile": s.apiURLLocked(c.id, def.refKind+"/"+strconv.Itoa(id)),
			"id":      strconv.Itoa(id),
			"value":   c.refName(def.refKind, id),
		}
	case ftRows:
		var out []any
		for _, r := range v.([]*row) {
			m := map[string]any{"entry": r.entry}
			for _, sub := range def.rows {
				if sv, ok := r.fields[sub.id]; ok {
					m[sub.id] = s.renderLocked(c, sub, sv)
				}
			}
			out = append(out, m)
		}
		return out
	}
	return v
}

// renderProfileLocked renders the fields of p that have a value; only those
// named in want when want is not empty. Missing means empty, as in iCIMS.
func (s *Sim) renderProfileLocked(c *customer, defs []fieldDef, p *profile, want []string) map[string]any {
	out := map[string]any{}
	for _, def := range defs {
		if len(want) > 0 && !slices.Contains(want, def.id) {
			continue
		}
		v, ok := p.fields[def.id]
		if !ok || v == nil {
			continue
		}
		if rows, isRows := v.([]*row); isRows && len(rows) == 0 {
			continue
		}
		out[def.id] = s.renderLocked(c, def, v)
	}
	return out
}

// wantFields splits the fields= query parameter.
func wantFields(q url.Values) []string {
	var out []string
	for _, part := range strings.Split(q.Get("fields"), ",") {
		if p := strings.ToLower(strings.TrimSpace(part)); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// displayValue is a stored value as the sandbox UI shows it.
func displayValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case node:
		return x.Value
	case []node:
		var parts []string
		for _, n := range x {
			parts = append(parts, n.Value)
		}
		return strings.Join(parts, ", ")
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		return x
	}
	return fmt.Sprint(v)
}
