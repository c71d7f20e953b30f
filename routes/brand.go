package routes

import "strings"

const brandStylesheet = "/brand/:file"

// BrandStylesheet is the candidate pages' stylesheet for an employer's
// colour, "#rrggbb". The URL names the colour itself, so the content
// never changes under a URL and browsers may keep it for good.
func BrandStylesheet(color string) string {
	return fill(brandStylesheet, strings.ToLower(strings.TrimPrefix(color, "#"))+".css")
}
