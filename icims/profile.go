package icims

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Fields is a profile as iCIMS returned it: field id → raw JSON value. A
// missing key is normal: iCIMS omits empty fields and fields the API user
// may not see.
type Fields map[string]json.RawMessage

// String returns a text field's value, or "" if it is missing, null or not
// text.
func (f Fields) String(key string) string {
	var s string
	if json.Unmarshal(f[key], &s) != nil {
		return ""
	}
	return s
}

// Decode decodes a field into v and reports whether it was present and not
// null.
func (f Fields) Decode(key string, v any) (bool, error) {
	raw, ok := f[key]
	if !ok || string(raw) == "null" {
		return false, nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return true, fmt.Errorf("icims: field %s: %w", key, err)
	}
	return true, nil
}

// getProfile GETs a profile and returns its fields. def are the field ids
// the typed result needs; want are the caller's extra ones.
func (c *Client) getProfile(ctx context.Context, op, path string, def, want []string) (Fields, error) {
	resp, err := c.do(ctx, request{op: op, method: http.MethodGet, url: c.customerBase + path, query: fieldsQuery(def, want)})
	if err != nil {
		return nil, err
	}
	var f Fields
	if err := decodeJSON(op, resp.body, &f); err != nil {
		return nil, err
	}
	if f == nil {
		f = Fields{}
	}
	return f, nil
}

// idValue writes a profile id the way iCIMS's examples do: a number when
// it is one, else a string.
func idValue(id string) any {
	if len(id) > 1 && id[0] == '0' {
		return id // not a valid JSON number
	}
	for _, r := range id {
		if r < '0' || r > '9' {
			return id
		}
	}
	return json.Number(id)
}

// fieldsQuery joins the defaults and the extra field ids, without repeats.
func fieldsQuery(def, want []string) url.Values {
	all := slices.Clone(def)
	for _, f := range want {
		if f = strings.ToLower(strings.TrimSpace(f)); f != "" && !slices.Contains(all, f) {
			all = append(all, f)
		}
	}
	if len(all) == 0 {
		return nil
	}
	return url.Values{"fields": {strings.Join(all, ",")}}
}
