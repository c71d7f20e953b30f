package views

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBrandStylesheetReadsAtAAWhateverTheColour(t *testing.T) {
	for name, tc := range map[string]struct {
		in        string
		kept      bool
		wantColor string
	}{
		"dark green is kept":       {in: "#0b6e4f", kept: true, wantColor: "#0b6e4f"},
		"yellow is darkened":       {in: "ffd400"},
		"white is darkened":        {in: "#ffffff"},
		"black is kept":            {in: "#000000", kept: true, wantColor: "#000000"},
		"mid grey is darkened":     {in: "#8a8a8a"},
		"saturated blue is kept":   {in: "#1d4ed8", kept: true, wantColor: "#1d4ed8"},
		"light cyan is darkened":   {in: "#7fffd4"},
		"upper case hex is parsed": {in: "#0B6E4F", kept: true, wantColor: "#0b6e4f"},
	} {
		t.Run(name, func(t *testing.T) {
			rgb, ok := ParseBrandColor(tc.in)
			require.True(t, ok)
			css := BrandStylesheet(rgb)
			text := readableOn(rgb, pageBackground)
			assert.GreaterOrEqual(t, contrast(text, pageBackground), minContrast, "links and outlines read on the page")
			assert.GreaterOrEqual(t, contrast(text, 0xffffff), minContrast, "secondary buttons read on white")
			ink, _ := ParseBrandColor(between(css, "--brand-ink: ", ";"))
			assert.GreaterOrEqual(t, contrast(ink, text), minContrast, "button text reads on the button")
			assert.Contains(t, css, "border-top: 6px solid "+hex(rgb), "the true colour marks the top bar")
			if tc.kept {
				assert.Contains(t, css, "--brand: "+tc.wantColor+";")
			} else {
				assert.NotContains(t, css, "--brand: "+hex(rgb)+";")
			}
		})
	}
}

func TestParseBrandColorRefusesAnythingButSixHexDigits(t *testing.T) {
	for _, s := range []string{"", "red", "#fff", "#0b6e4f;}", "0b6e4f}body{", "#0b6e4", "#0b6e4fa", "#gggggg", "0x6e4f", "+b6e4f", "#-00001"} {
		_, ok := ParseBrandColor(s)
		assert.False(t, ok, "%q", s)
	}
}

func between(s, from, to string) string {
	_, rest, _ := strings.Cut(s, from)
	v, _, _ := strings.Cut(rest, to)
	return v
}
