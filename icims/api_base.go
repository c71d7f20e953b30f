package icims

import "strings"

// ResolveAPIBase returns the API base a client for a tenant really calls:
// the explicit base when one is set (the --icims-api-url given at install,
// a sandbox, a tenant added with --api-url), else the region's host. The
// client and the admin pages both use it, so the page shows the host the
// calls go to.
func ResolveAPIBase(region, base string) (string, error) {
	if base = strings.TrimRight(strings.TrimSpace(base), "/"); base != "" {
		return base, nil
	}
	return APIBase(region)
}
