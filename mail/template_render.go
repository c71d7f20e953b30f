package mail

import (
	"fmt"
	"html/template"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Data holds the values for a template's placeholders.
type Data struct {
	CandidateFirstName string
	CandidateLastName  string
	JobTitle           string
	CompanyName        string
	AssessmentName     string
	// AssessmentLink is the candidate's absolute http(s) link.
	AssessmentLink string
	// Deadline is shown in TimeZone (UTC when nil); zero shows nothing.
	Deadline time.Time
	TimeZone *time.Location
	// EstimatedMinutes is shown as a number; zero shows nothing.
	EstimatedMinutes int
	// BaseURL is JobCannon's public address, e.g. https://jobcannon.example;
	// it turns a /static/ logo path into the absolute URL a mail app needs.
	BaseURL string
}

// defaultBrandColor is a blue with enough contrast for white button text.
const defaultBrandColor = "#2563eb"

// Render fills t with d. The text part is the body with values substituted;
// the HTML part lays the same paragraphs out for mail apps, with the link as
// a button. Every value and every word of the admin's text is HTML-escaped,
// and the subject is forced onto one line so nothing can add a header.
func Render(t Template, d Data) (subject, html, text string, err error) {
	if err := Validate(t); err != nil {
		return "", "", "", fmt.Errorf("mail: render: %w", err)
	}
	link, err := url.Parse(d.AssessmentLink)
	if err != nil || (link.Scheme != "https" && link.Scheme != "http") || link.Host == "" {
		return "", "", "", fmt.Errorf("mail: render: assessment link %q is not an absolute http(s) URL", d.AssessmentLink)
	}
	values := d.values()

	subject = oneLine(substitute(t.Subject, values))
	body := strings.ReplaceAll(strings.ReplaceAll(t.Body, "\r\n", "\n"), "\r", "\n")
	text = strings.TrimSpace(substitute(body, values)) + "\n"
	html, err = renderHTML(t, d, subject, body, values)
	if err != nil {
		return "", "", "", fmt.Errorf("mail: render: %w", err)
	}
	return subject, html, text, nil
}

func (d Data) values() map[string]string {
	deadline := ""
	if !d.Deadline.IsZero() {
		loc := d.TimeZone
		if loc == nil {
			loc = time.UTC
		}
		deadline = d.Deadline.In(loc).Format("Monday, January 2, 2006 at 3:04 PM MST")
	}
	minutes := ""
	if d.EstimatedMinutes > 0 {
		minutes = strconv.Itoa(d.EstimatedMinutes)
	}
	return map[string]string{
		PlaceholderFirstName:        d.CandidateFirstName,
		PlaceholderLastName:         d.CandidateLastName,
		PlaceholderJobTitle:         d.JobTitle,
		PlaceholderCompanyName:      d.CompanyName,
		PlaceholderAssessmentName:   d.AssessmentName,
		PlaceholderAssessmentLink:   d.AssessmentLink,
		PlaceholderDeadline:         deadline,
		PlaceholderEstimatedMinutes: minutes,
	}
}

// substitute replaces each placeholder in a validated s with its value.
func substitute(s string, values map[string]string) string {
	segs, _ := parse(s)
	var b strings.Builder
	for _, seg := range segs {
		if seg.isPlaceholder {
			b.WriteString(values[seg.placeholder])
		} else {
			b.WriteString(seg.text)
		}
	}
	return b.String()
}

// oneLine collapses every run of white space, line breaks included, to one
// space and drops control characters: a value with a line break must not
// end the Subject header and start another.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// htmlPiece is a run of text or, when Link is set, the assessment link.
type htmlPiece struct {
	Text string
	Link string
}

// htmlBlock is one paragraph, as lines of pieces, or the link button.
type htmlBlock struct {
	Button bool
	Lines  [][]htmlPiece
}

// paragraphs splits body at blank lines (lines of only spaces count) and
// drops empty paragraphs.
func paragraphs(body string) []string {
	var out, current []string
	flush := func() {
		if p := strings.TrimSpace(strings.Join(current, "\n")); p != "" {
			out = append(out, p)
		}
		current = nil
	}
	for _, line := range strings.Split(body, "\n") {
		if strings.TrimSpace(line) == "" {
			flush()
		} else {
			current = append(current, strings.TrimRight(line, " \t"))
		}
	}
	flush()
	return out
}

// isLinkOnly reports whether a paragraph is just {{assessment_link}}.
func isLinkOnly(segs []segment) bool {
	return len(segs) == 1 && segs[0].isPlaceholder && segs[0].placeholder == PlaceholderAssessmentLink
}

// blocks splits the body into paragraphs. A paragraph that is only
// {{assessment_link}} becomes the button; when there is none, the button
// follows the first paragraph that mentions the link.
func blocks(body string, values map[string]string) []htmlBlock {
	var parsed [][]segment
	standalone := false
	for _, p := range paragraphs(body) {
		segs, _ := parse(p)
		parsed = append(parsed, segs)
		standalone = standalone || isLinkOnly(segs)
	}
	var out []htmlBlock
	buttonDone := false
	for _, segs := range parsed {
		if isLinkOnly(segs) {
			out = append(out, htmlBlock{Button: true})
			buttonDone = true
			continue
		}
		block, hasLink := paragraph(segs, values)
		out = append(out, block)
		if hasLink && !standalone && !buttonDone {
			out = append(out, htmlBlock{Button: true})
			buttonDone = true
		}
	}
	return out
}

// paragraph turns one paragraph's segments into lines of pieces.
func paragraph(segs []segment, values map[string]string) (block htmlBlock, hasLink bool) {
	line := []htmlPiece{}
	addText := func(s string) {
		for i, part := range strings.Split(s, "\n") {
			if i > 0 {
				block.Lines = append(block.Lines, line)
				line = []htmlPiece{}
			}
			if part != "" {
				line = append(line, htmlPiece{Text: part})
			}
		}
	}
	for _, seg := range segs {
		switch {
		case seg.isPlaceholder && seg.placeholder == PlaceholderAssessmentLink:
			line = append(line, htmlPiece{Link: values[PlaceholderAssessmentLink]})
			hasLink = true
		case seg.isPlaceholder:
			addText(values[seg.placeholder])
		default:
			addText(seg.text)
		}
	}
	block.Lines = append(block.Lines, line)
	return block, hasLink
}

func renderHTML(t Template, d Data, subject, body string, values map[string]string) (string, error) {
	color := t.BrandColor
	if color == "" {
		color = defaultBrandColor
	}
	// Admins pick any color: choose the button text that reads better on
	// it, and keep links in the body readable on white (WCAG's 4.5:1).
	buttonText, linkColor := "#ffffff", color
	if l := luminance(color); contrast(l, luminance("#111827")) > contrast(l, 1) {
		buttonText = "#111827"
	}
	if contrast(luminance(color), 1) < 4.5 {
		linkColor = defaultBrandColor
	}
	logo := t.LogoURL
	if strings.HasPrefix(logo, "/static/") && d.BaseURL != "" {
		logo = strings.TrimSuffix(d.BaseURL, "/") + logo
	}
	// Parsed per call: rendering happens once per invitation, and a
	// package-level template would be the package global we avoid.
	tmpl, err := template.New("email").Parse(emailLayout)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	err = tmpl.Execute(&b, map[string]any{
		"Subject":    subject,
		"Company":    d.CompanyName,
		"Logo":       logo,
		"Color":      color,
		"ButtonText": buttonText,
		"LinkColor":  linkColor,
		"Link":       d.AssessmentLink,
		"Blocks":     blocks(body, values),
	})
	if err != nil {
		return "", fmt.Errorf("html layout: %w", err)
	}
	return b.String(), nil
}

// luminance is the relative luminance (0 black to 1 white) of a #rrggbb
// color, per WCAG.
func luminance(hex string) float64 {
	channel := func(s string) float64 {
		v, _ := strconv.ParseUint(s, 16, 8)
		c := float64(v) / 255
		if c <= 0.03928 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	return 0.2126*channel(hex[1:3]) + 0.7152*channel(hex[3:5]) + 0.0722*channel(hex[5:7])
}

// contrast is the WCAG contrast ratio of two luminances, from 1 to 21.
func contrast(a, b float64) float64 {
	return (max(a, b) + 0.05) / (min(a, b) + 0.05)
}
