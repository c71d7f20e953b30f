package mail

import (
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/jobcannon/jobcannon/assessments"
)

// Template is a tenant's invitation e-mail as an admin writes it. Subject
// and Body are plain text with {{placeholders}} (see Placeholders); blank
// lines in Body separate paragraphs.
type Template struct {
	Subject string
	Body    string
	// SenderName is the From name; empty means the company name.
	SenderName string
	// ReplyTo is where candidates' replies go; empty means no Reply-To.
	ReplyTo string
	// LogoURL is an https:// image or a /static/ path; empty shows no logo.
	LogoURL string
	// BrandColor colours the button, as #rrggbb; empty means a neutral blue.
	BrandColor string
}

// Placeholder names, without their braces.
const (
	PlaceholderFirstName        = "candidate_first_name"
	PlaceholderLastName         = "candidate_last_name"
	PlaceholderJobTitle         = "job_title"
	PlaceholderCompanyName      = "company_name"
	PlaceholderAssessmentName   = "assessment_name"
	PlaceholderAssessmentLink   = "assessment_link"
	PlaceholderDeadline         = "deadline"
	PlaceholderEstimatedMinutes = "estimated_minutes"
)

// Limits on what an admin may write; far above any real invitation, they
// only stop a paste accident from producing a megabyte e-mail.
const (
	maxSubjectLen    = 200
	maxSenderNameLen = 100
	maxBodyLen       = 20000
)

// Placeholders returns every placeholder a template may use, in the order
// the template editor should list them.
func Placeholders() []string {
	return []string{
		PlaceholderFirstName, PlaceholderLastName, PlaceholderJobTitle, PlaceholderCompanyName,
		PlaceholderAssessmentName, PlaceholderAssessmentLink, PlaceholderDeadline, PlaceholderEstimatedMinutes,
	}
}

// DefaultTemplate returns the invitation a tenant gets until an admin
// writes their own.
func DefaultTemplate() Template {
	return Template{
		Subject: "Next step for your {{job_title}} application at {{company_name}}",
		Body: `Hi {{candidate_first_name}},

Thank you for applying for the {{job_title}} role at {{company_name}}. The next step is a short online assessment, {{assessment_name}}. It takes about {{estimated_minutes}} minutes, and you can do it on a phone or a computer.

{{assessment_link}}

Please complete it by {{deadline}}. If you need to stop, open the same link later and you will pick up where you left off.

Good luck!
The {{company_name}} hiring team`,
	}
}

// Validate checks a template an admin wrote and returns one EINVALID error
// listing every problem, in words the admin can act on.
func Validate(t Template) error {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	switch {
	case strings.TrimSpace(t.Subject) == "":
		add("The subject is empty.")
	case strings.ContainsAny(t.Subject, "\r\n"):
		add("The subject must be a single line.")
	case utf8.RuneCountInString(t.Subject) > maxSubjectLen:
		add("The subject is longer than %d characters.", maxSubjectLen)
	}
	problems = append(problems, placeholderProblems("subject", t.Subject)...)

	if utf8.RuneCountInString(t.Body) > maxBodyLen {
		add("The body is longer than %d characters.", maxBodyLen)
	}
	problems = append(problems, placeholderProblems("body", t.Body)...)
	if !slices.Contains(placeholdersIn(t.Body), PlaceholderAssessmentLink) {
		add("The body must include {{%s}}, or the candidate has no way to start the assessment.", PlaceholderAssessmentLink)
	}

	if hasControl(t.SenderName) {
		add("The sender name must be a single line.")
	} else if utf8.RuneCountInString(t.SenderName) > maxSenderNameLen {
		add("The sender name is longer than %d characters.", maxSenderNameLen)
	}
	if t.ReplyTo != "" && !isAddress(t.ReplyTo) {
		add("The reply-to address %q is not an e-mail address, like jobs@example.com.", t.ReplyTo)
	}
	if t.BrandColor != "" && !isHexColor(t.BrandColor) {
		add("The brand color %q must be a hex color like #1a73e8.", t.BrandColor)
	}
	if t.LogoURL != "" && !isLogoURL(t.LogoURL) {
		add("The logo URL must start with https:// (or be a /static/ path), so that it shows in every mail app.")
	}

	if len(problems) > 0 {
		return assessments.Errorf(assessments.EINVALID, "%s", strings.Join(problems, " "))
	}
	return nil
}

// segment is a run of literal text or, when isPlaceholder, one placeholder.
type segment struct {
	text          string
	placeholder   string
	isPlaceholder bool
}

// parse splits s into text and placeholders. ok is false when a "{{" has
// no "}}" or a "}}" no "{{"; the segments then stop where the trouble
// starts.
func parse(s string) (segs []segment, ok bool) {
	for s != "" {
		opening, closing := strings.Index(s, "{{"), strings.Index(s, "}}")
		if opening < 0 || (closing >= 0 && closing < opening) {
			if closing >= 0 {
				return append(segs, segment{text: s[:closing]}), false
			}
			return append(segs, segment{text: s}), true
		}
		if opening > 0 {
			segs = append(segs, segment{text: s[:opening]})
		}
		rest := s[opening+2:]
		end := strings.Index(rest, "}}")
		if end < 0 || strings.Contains(rest[:end], "{{") {
			return segs, false
		}
		segs = append(segs, segment{placeholder: strings.TrimSpace(rest[:end]), isPlaceholder: true})
		s = rest[end+2:]
	}
	return segs, true
}

func placeholdersIn(s string) []string {
	segs, _ := parse(s)
	var names []string
	for _, seg := range segs {
		if seg.isPlaceholder {
			names = append(names, seg.placeholder)
		}
	}
	return names
}

// placeholderProblems names the unknown placeholders in s and says whether
// its braces are unbalanced.
func placeholderProblems(field, s string) []string {
	segs, ok := parse(s)
	var problems, unknown []string
	if !ok {
		problems = append(problems, fmt.Sprintf(`The %s has a "{{" or "}}" without its partner; placeholders are written like {{job_title}}.`, field))
	}
	known := Placeholders()
	for _, seg := range segs {
		name := "{{" + seg.placeholder + "}}"
		if seg.isPlaceholder && !slices.Contains(known, seg.placeholder) && !slices.Contains(unknown, name) {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) > 0 {
		word := "placeholder"
		if len(unknown) > 1 {
			word = "placeholders"
		}
		problems = append(problems, fmt.Sprintf("The %s uses the unknown %s %s. Available: {{%s}}.",
			field, word, strings.Join(unknown, ", "), strings.Join(known, "}}, {{")))
	}
	return problems
}

func isHexColor(s string) bool {
	if len(s) != 7 || s[0] != '#' {
		return false
	}
	for _, c := range s[1:] {
		if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
			return false
		}
	}
	return true
}

// isLogoURL accepts an https URL with a host, or a clean path under
// /static/ served by JobCannon itself. Plain http would show as broken or
// "insecure content" in most mail apps.
func isLogoURL(s string) bool {
	if strings.HasPrefix(s, "/static/") {
		return path.Clean(s) == s && !strings.ContainsAny(s, " \"'<>\\?#")
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != "" && u.User == nil && !strings.ContainsAny(s, " \"'<>\\")
}
