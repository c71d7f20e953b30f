package mail

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
)

func TestDefaultTemplateValidates(t *testing.T) {
	tmpl := DefaultTemplate()
	require.NoError(t, Validate(tmpl))
	assert.Contains(t, tmpl.Body, "{{assessment_link}}")
	assert.Less(t, len(strings.Fields(tmpl.Body)), 120, "the default invitation stays short")
}

func TestValidateAcceptsGoodTemplates(t *testing.T) {
	good := func(change func(*Template)) Template {
		tmpl := DefaultTemplate()
		change(&tmpl)
		return tmpl
	}
	cases := map[string]Template{
		"spaces inside braces": good(func(t *Template) { t.Subject = "{{ job_title }} at {{company_name}}" }),
		"every placeholder": good(func(t *Template) {
			t.Body = "{{candidate_first_name}} {{candidate_last_name}} {{job_title}} {{company_name}} " +
				"{{assessment_name}} {{assessment_link}} {{deadline}} {{estimated_minutes}}"
		}),
		"link inline":         good(func(t *Template) { t.Body = "Start here: {{assessment_link}}" }),
		"branding":            good(func(t *Template) { t.BrandColor, t.LogoURL = "#1A73e8", "https://cdn.example.com/logo.png" }),
		"static logo":         good(func(t *Template) { t.LogoURL = "/static/img/logo.png" }),
		"reply-to":            good(func(t *Template) { t.ReplyTo = "talent@acme.example" }),
		"unicode sender name": good(func(t *Template) { t.SenderName = "Équipe Recrutement Acme" }),
	}
	for name, tmpl := range cases {
		t.Run(name, func(t *testing.T) {
			assert.NoError(t, Validate(tmpl))
		})
	}
}

func TestValidateRejects(t *testing.T) {
	bad := func(change func(*Template)) Template {
		tmpl := DefaultTemplate()
		change(&tmpl)
		return tmpl
	}
	cases := []struct {
		name string
		tmpl Template
		want []string // each must appear in the message
	}{
		{"empty subject", bad(func(t *Template) { t.Subject = "  " }), []string{"The subject is empty."}},
		{"two-line subject", bad(func(t *Template) { t.Subject = "Hello\nBcc: x@example.com" }), []string{"single line"}},
		{"long subject", bad(func(t *Template) { t.Subject = strings.Repeat("a", 201) }), []string{"longer than 200"}},
		{"unknown placeholders, each named once", bad(func(t *Template) {
			t.Body = "Hi {{first_name}}, {{salary}} {{first_name}} {{assessment_link}}"
		}), []string{"The body uses the unknown placeholders {{first_name}}, {{salary}}.", "Available: {{candidate_first_name}}"}},
		{"unknown placeholder in subject", bad(func(t *Template) { t.Subject = "For {{name}}" }), []string{"The subject uses the unknown placeholder {{name}}."}},
		{"empty placeholder", bad(func(t *Template) { t.Body += " {{}}" }), []string{"unknown placeholder {{}}"}},
		{"unclosed braces", bad(func(t *Template) { t.Body += " {{job_title" }), []string{`The body has a "{{" or "}}" without its partner`}},
		{"nested braces", bad(func(t *Template) { t.Subject = "{{job {{job_title}}" }), []string{`The subject has a "{{"`}},
		{"stray closing braces", bad(func(t *Template) { t.Body += " job_title}}" }), []string{`without its partner`}},
		{"no link", bad(func(t *Template) { t.Body = "Hi {{candidate_first_name}}" }), []string{"must include {{assessment_link}}"}},
		{"link only in subject", bad(func(t *Template) {
			t.Subject, t.Body = "{{assessment_link}}", "Hello"
		}), []string{"The body must include {{assessment_link}}"}},
		{"reply-to not an address", bad(func(t *Template) { t.ReplyTo = "talent at acme" }), []string{`reply-to address "talent at acme" is not an e-mail address`}},
		{"reply-to with a name", bad(func(t *Template) { t.ReplyTo = "Talent <t@acme.example>" }), []string{"not an e-mail address"}},
		{"color name", bad(func(t *Template) { t.BrandColor = "red" }), []string{`brand color "red" must be a hex color like #1a73e8`}},
		{"short hex", bad(func(t *Template) { t.BrandColor = "#fff" }), []string{"brand color"}},
		{"bad hex digit", bad(func(t *Template) { t.BrandColor = "#12345g" }), []string{"brand color"}},
		{"css injection", bad(func(t *Template) { t.BrandColor = "#fff;x" }), []string{"brand color"}},
		{"http logo", bad(func(t *Template) { t.LogoURL = "http://cdn.example.com/logo.png" }), []string{"logo URL must start with https://"}},
		{"javascript logo", bad(func(t *Template) { t.LogoURL = "javascript:alert(1)" }), []string{"logo URL"}},
		{"relative logo", bad(func(t *Template) { t.LogoURL = "logo.png" }), []string{"logo URL"}},
		{"escaping static", bad(func(t *Template) { t.LogoURL = "/static/../secrets" }), []string{"logo URL"}},
		{"quote in logo", bad(func(t *Template) { t.LogoURL = `https://x.example/a"onerror="x` }), []string{"logo URL"}},
		{"sender name with newline", bad(func(t *Template) { t.SenderName = "Acme\r\nBcc: x@example.com" }), []string{"sender name must be a single line"}},
		{"several problems at once", Template{Subject: "", Body: "Hi {{nope}}", BrandColor: "blue"}, []string{
			"The subject is empty.", "{{nope}}", "must include {{assessment_link}}", "brand color"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Validate(c.tmpl)
			require.Error(t, err)
			assert.Equal(t, assessments.EINVALID, assessments.ErrorCode(err))
			for _, w := range c.want {
				assert.Contains(t, assessments.ErrorMessage(err), w)
			}
		})
	}
}

func TestPlaceholdersAreAllKnown(t *testing.T) {
	var body strings.Builder
	for _, p := range Placeholders() {
		body.WriteString("{{" + p + "}} ")
	}
	assert.NoError(t, Validate(Template{Subject: "s", Body: body.String()}))
	assert.Len(t, Placeholders(), 8)
}
