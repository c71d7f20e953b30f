package handlers

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/jobcannon/jobcannon/mail"
)

func TestTemplateProblemsNameTheirField(t *testing.T) {
	good := mail.DefaultTemplate()
	cases := []struct {
		name   string
		change func(*mail.Template)
		want   map[string]string // field → part of its message
	}{
		{"default", func(*mail.Template) {}, nil},
		{"unknown in subject", func(t *mail.Template) { t.Subject = "Hi {{name}}" },
			map[string]string{"subject": "unknown placeholder {{name}}"}},
		{"unknown in body, link missing", func(t *mail.Template) { t.Body = "{{salary}}" },
			map[string]string{"body": "{{salary}}"}},
		{"each field its own message", func(t *mail.Template) {
			t.SenderName, t.ReplyTo, t.LogoURL, t.BrandColor = "A\nB", "nope", "http://x.example/l.png", "blue"
		}, map[string]string{"sender_name": "single line", "reply_to": "not an e-mail address",
			"logo_url": "https://", "brand_color": "hex color"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tmpl := good
			c.change(&tmpl)
			got := map[string]string{}
			for _, p := range templateProblems(tmpl) {
				got[p.Field] += p.Message
			}
			assert.Len(t, got, len(c.want))
			for field, part := range c.want {
				assert.Contains(t, got[field], part, field)
			}
			if got["body"] != "" {
				assert.NotContains(t, got["body"], "subject", "a body message says nothing of the subject")
			}
		})
	}
	assert.True(t, strings.Contains(templateProblems(mail.Template{Subject: "s", Body: "x"})[0].Message, "{{assessment_link}}"))
}

func TestMessageLinks(t *testing.T) {
	text := "Hi,\n\nhttps://jc.example/a/tok3n\n\nSee https://jc.example/a/tok3n again, or (http://help.example/faq).\nftp://nope.example"
	assert.Equal(t, []string{"https://jc.example/a/tok3n", "http://help.example/faq"}, messageLinks(text))
}
