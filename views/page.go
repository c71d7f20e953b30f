// Package views holds the templ components of every page. Components get
// what they show as arguments; they never reach into requests or stores.
package views

import "time"

// Page is what the base layout needs from every page.
type Page struct {
	// Title is the page's own title; the layout appends the product name.
	Title string
	// Asset turns a logical asset name into its hashed URL.
	Asset func(name string) string
	// HTMX loads htmx. Candidate pages leave it off to stay small; they work
	// without JavaScript.
	HTMX bool
	// Scripts are static scripts (logical asset names) the page loads,
	// deferred; pages work without them.
	Scripts []string
	// CSRFToken, when set, is sent by htmx with every request.
	CSRFToken string
	// Nav names the navigation to show: "" for none, "admin", "sandbox".
	Nav string
	// Current is the path of the current page, to mark it in the navigation.
	Current string
	// BodyClass styles a family of pages ("candidate").
	BodyClass string
	// Sandbox shows a banner saying the simulated iCIMS and the dev
	// mailbox are mounted and open to anyone who reaches the server.
	Sandbox bool
	// Brand, when it has a name, puts the employer in place of the
	// product: header, title, logo and colour (candidate pages).
	Brand Brand
	// Lang is the page's language tag for <html lang>; empty means "en".
	Lang string
	// Zone is the tenant's time zone, the one its pages show times in;
	// nil (UTC) where no tenant is known.
	Zone *time.Location
}

// HTMLLang is the page's language tag.
func (p Page) HTMLLang() string {
	if p.Lang == "" {
		return "en"
	}
	return p.Lang
}
