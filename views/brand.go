package views

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Brand is the employer on a candidate's pages: its name in the header and
// the title, its logo, and the stylesheet of its colour. The zero Brand is
// the product's own look.
type Brand struct {
	Name string
	// LogoURL is an https:// image or an in-app path; empty shows none.
	LogoURL string
	// Stylesheet is the URL of the colour's stylesheet; empty keeps the
	// default colour.
	Stylesheet string
}

// pageBackground is app.css's --page: the lightest ground brand-coloured
// text and links sit on, so the colour is checked against it.
const pageBackground = 0xf9fafb

// minContrast is WCAG AA's ratio for body text.
const minContrast = 4.5

// ParseBrandColor reads "rrggbb" or "#rrggbb" into a colour; ok is false for
// anything else, so nothing but six hex digits ever reaches a stylesheet.
func ParseBrandColor(s string) (rgb uint32, ok bool) {
	s = strings.TrimPrefix(s, "#")
	if len(s) != 6 {
		return 0, false
	}
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return 0, false
	}
	return uint32(v), true
}

// BrandStylesheet is the candidate pages' stylesheet for a brand colour.
// The colour itself marks the top bar; links, focus rings and buttons use
// it darkened just enough to read at WCAG AA on the page, and the button
// text is white or near-black, whichever reads better on it.
func BrandStylesheet(rgb uint32) string {
	text := readableOn(rgb, pageBackground)
	ink := uint32(0xffffff)
	if contrast(text, 0x111827) > contrast(text, ink) {
		ink = 0x111827
	}
	return fmt.Sprintf(`/* The employer's colour, %s. */
body.candidate { --brand: %s; --brand-ink: %s; }
body.candidate .topbar { border-top: 6px solid %s; }
`, hex(rgb), hex(text), hex(ink), hex(rgb))
}

// readableOn darkens c in small steps until it reaches minContrast against
// the background; a colour that already does is kept as it is.
func readableOn(c, background uint32) uint32 {
	for f := 1.0; f > 0; f -= 0.05 {
		d := scale(c, f)
		if contrast(d, background) >= minContrast {
			return d
		}
	}
	return 0
}

func scale(c uint32, f float64) uint32 {
	ch := func(shift uint) uint32 { return uint32(math.Round(float64(c>>shift&0xff) * f)) }
	return ch(16)<<16 | ch(8)<<8 | ch(0)
}

// contrast is WCAG 2's contrast ratio of two colours.
func contrast(a, b uint32) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// luminance is WCAG 2's relative luminance.
func luminance(c uint32) float64 {
	lin := func(v uint32) float64 {
		s := float64(v) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c>>16&0xff) + 0.7152*lin(c>>8&0xff) + 0.0722*lin(c&0xff)
}

func hex(c uint32) string { return fmt.Sprintf("#%06x", c) }
