package mail

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/jobcannon/jobcannon/assessments"
)

func testData() Data {
	return Data{
		CandidateFirstName: "Zoë",
		CandidateLastName:  "O'Brien",
		JobTitle:           "Data Analyst",
		CompanyName:        "Acme & Sons",
		AssessmentName:     "Work Style",
		AssessmentLink:     "https://jc.example/a/Tok3n?x=1&y=2",
		Deadline:           time.Date(2026, 11, 27, 22, 0, 0, 0, time.UTC),
		TimeZone:           time.FixedZone("EST", -5*3600),
		EstimatedMinutes:   25,
		BaseURL:            "https://jc.example/",
	}
}

// node is a parsed HTML element with what the tests look at.
type node struct {
	tag   string
	attrs map[string]string
	text  string // all text inside
}

// elements parses doc and returns every element named tag, in order.
func elements(t *testing.T, doc, tag string) []node {
	t.Helper()
	root, err := html.Parse(strings.NewReader(doc))
	require.NoError(t, err)
	var out []node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == tag {
			e := node{tag: tag, attrs: map[string]string{}}
			for _, a := range n.Attr {
				e.attrs[a.Key] = a.Val
			}
			var text strings.Builder
			var collect func(*html.Node)
			collect = func(c *html.Node) {
				if c.Type == html.TextNode {
					text.WriteString(c.Data)
				}
				for k := c.FirstChild; k != nil; k = k.NextSibling {
					collect(k)
				}
			}
			collect(n)
			e.text = text.String()
			out = append(out, e)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return out
}

func TestRenderEachPlaceholder(t *testing.T) {
	d := testData()
	cases := []struct {
		placeholder string
		want        string
	}{
		{"candidate_first_name", "Zoë"},
		{"candidate_last_name", "O'Brien"},
		{"job_title", "Data Analyst"},
		{"company_name", "Acme & Sons"},
		{"assessment_name", "Work Style"},
		{"assessment_link", "https://jc.example/a/Tok3n?x=1&y=2"},
		{"deadline", "Friday, November 27, 2026 at 5:00 PM EST"},
		{"estimated_minutes", "25"},
	}
	for _, c := range cases {
		t.Run(c.placeholder, func(t *testing.T) {
			tmpl := Template{
				Subject: "[{{" + c.placeholder + "}}]",
				Body:    "Value: <{{" + c.placeholder + "}}>\n\n{{assessment_link}}",
			}
			subject, htmlPart, text, err := Render(tmpl, d)
			require.NoError(t, err)
			assert.Equal(t, "["+c.want+"]", subject)
			assert.Equal(t, "Value: <"+c.want+">\n\n"+d.AssessmentLink+"\n", text)
			ps := elements(t, htmlPart, "p")
			require.NotEmpty(t, ps)
			assert.Equal(t, "Value: <"+c.want+">", ps[0].text, "the HTML shows the same words, escaped")
		})
	}
}

func TestRenderEmptyValues(t *testing.T) {
	d := testData()
	d.Deadline, d.EstimatedMinutes = time.Time{}, 0
	_, _, text, err := Render(Template{Subject: "s", Body: "[{{deadline}}][{{estimated_minutes}}] {{assessment_link}}"}, d)
	require.NoError(t, err)
	assert.Equal(t, "[][] "+d.AssessmentLink+"\n", text)

	d = testData()
	d.TimeZone = nil
	_, _, text, err = Render(Template{Subject: "s", Body: "{{deadline}} {{assessment_link}}"}, d)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(text, "Friday, November 27, 2026 at 10:00 PM UTC"), text)
}

func TestRenderEscapesEverything(t *testing.T) {
	d := testData()
	d.CandidateFirstName = "<script>alert(1)</script>"
	d.CompanyName = `"><img src=x onerror=alert(2)>`
	tmpl := Template{
		Subject: "Hi {{candidate_first_name}}",
		Body:    "Hello {{candidate_first_name}} from <b>{{company_name}}</b> & co\n\n{{assessment_link}}",
		LogoURL: "https://cdn.example.com/logo.png",
	}
	subject, htmlPart, text, err := Render(tmpl, d)
	require.NoError(t, err)

	assert.NotContains(t, htmlPart, "<script")
	assert.NotContains(t, htmlPart, "<b>")
	assert.NotContains(t, htmlPart, "<img src=x")
	assert.Contains(t, htmlPart, "&lt;script&gt;alert(1)&lt;/script&gt;")
	assert.Len(t, elements(t, htmlPart, "script"), 0)
	assert.Len(t, elements(t, htmlPart, "b"), 0)
	imgs := elements(t, htmlPart, "img")
	require.Len(t, imgs, 1, "only the logo")
	assert.Equal(t, d.CompanyName, imgs[0].attrs["alt"], "the company name stays inside the alt attribute")
	assert.NotContains(t, imgs[0].attrs, "onerror")
	ps := elements(t, htmlPart, "p")
	require.NotEmpty(t, ps)
	assert.Equal(t, "Hello <script>alert(1)</script> from <b>"+d.CompanyName+"</b> & co", ps[0].text,
		"a reader sees the text exactly as typed")

	titles := elements(t, htmlPart, "title")
	require.Len(t, titles, 1)
	assert.Equal(t, subject, titles[0].text)
	assert.Contains(t, text, "<script>alert(1)</script>", "the text part is text: nothing to escape")
}

func TestRenderSubjectIsOneLine(t *testing.T) {
	d := testData()
	d.JobTitle = "Analyst\r\nBcc: victim@example.com\u2028\x00"
	subject, _, _, err := Render(Template{Subject: "Your {{job_title}}  application", Body: "{{assessment_link}}"}, d)
	require.NoError(t, err)
	assert.Equal(t, "Your Analyst Bcc: victim@example.com application", subject)
	assert.False(t, hasControl(subject))
}

func TestRenderLayout(t *testing.T) {
	d := testData()
	tmpl := Template{
		Subject:    "s",
		Body:       "Hi {{candidate_first_name}},\nwelcome.\n\n  \n{{assessment_link}}\n\nBye\r\nThe team",
		LogoURL:    "/static/img/logo.png",
		BrandColor: "#0b6e4f",
	}
	_, htmlPart, text, err := Render(tmpl, d)
	require.NoError(t, err)
	assert.Equal(t, "Hi Zoë,\nwelcome.\n\n  \n"+d.AssessmentLink+"\n\nBye\nThe team\n", text)

	imgs := elements(t, htmlPart, "img")
	require.Len(t, imgs, 1)
	assert.Equal(t, "https://jc.example/static/img/logo.png", imgs[0].attrs["src"], "a /static/ logo becomes absolute")

	links := elements(t, htmlPart, "a")
	require.Len(t, links, 2, "the button and the plain URL")
	for _, a := range links {
		assert.Equal(t, d.AssessmentLink, a.attrs["href"])
	}
	assert.Equal(t, "Start the assessment", links[0].text)
	assert.Equal(t, d.AssessmentLink, links[1].text, "the plain URL is shown for apps that hide buttons")

	var buttonCell *node
	for _, td := range elements(t, htmlPart, "td") {
		if td.attrs["bgcolor"] != "" {
			buttonCell = &td
		}
	}
	require.NotNil(t, buttonCell)
	assert.Equal(t, "#0b6e4f", buttonCell.attrs["bgcolor"])
	assert.Contains(t, buttonCell.attrs["style"], "background-color:#0b6e4f")
	assert.Contains(t, links[0].attrs["style"], "color:#ffffff", "white text on a dark brand color")

	var paras []string
	for _, p := range elements(t, htmlPart, "p") {
		paras = append(paras, p.text)
	}
	assert.Equal(t, []string{
		"Hi Zoë,welcome.",
		"If the button does not work, copy this link into your browser:" + d.AssessmentLink,
		"ByeThe team",
	}, paras, "blank lines separate paragraphs; single newlines become <br>")
	assert.Equal(t, 3, strings.Count(htmlPart, "<br>"), "one in the first and last paragraphs, one before the plain URL")
}

func TestRenderInlineLinkGetsAButtonAfterItsParagraph(t *testing.T) {
	d := testData()
	tmpl := Template{Subject: "s", Body: "Intro.\n\nStart here: {{assessment_link}} today.\n\nThanks."}
	_, htmlPart, _, err := Render(tmpl, d)
	require.NoError(t, err)
	links := elements(t, htmlPart, "a")
	require.Len(t, links, 3, "inline link, button, plain URL")
	assert.Equal(t, d.AssessmentLink, links[0].text)
	assert.Equal(t, "Start the assessment", links[1].text)
	order := []int{
		strings.Index(htmlPart, "Intro."),
		strings.Index(htmlPart, "Start here"),
		strings.Index(htmlPart, "Start the assessment"),
		strings.Index(htmlPart, "Thanks."),
	}
	assert.IsIncreasing(t, order)
}

func TestRenderButtonTextFollowsBrandColor(t *testing.T) {
	cases := []struct{ color, buttonText, linkColor string }{
		{"", "#ffffff", defaultBrandColor},
		{"#0b6e4f", "#ffffff", "#0b6e4f"},
		{"#ffd60a", "#111827", defaultBrandColor},
		{"#FFFFFF", "#111827", defaultBrandColor},
	}
	for _, c := range cases {
		t.Run(c.color, func(t *testing.T) {
			_, htmlPart, _, err := Render(Template{Subject: "s", Body: "{{assessment_link}}", BrandColor: c.color}, testData())
			require.NoError(t, err)
			links := elements(t, htmlPart, "a")
			require.Len(t, links, 2)
			assert.Contains(t, links[0].attrs["style"], "color:"+c.buttonText)
			assert.Contains(t, links[1].attrs["style"], "color:"+c.linkColor)
		})
	}
}

func TestRenderRejects(t *testing.T) {
	t.Run("invalid template", func(t *testing.T) {
		_, _, _, err := Render(Template{Subject: "s", Body: "{{oops}}"}, testData())
		assert.Equal(t, assessments.EINVALID, assessments.ErrorCode(err))
	})
	for _, link := range []string{"javascript:alert(1)", "/a/token", "", "ftp://x.example/a"} {
		t.Run("link "+link, func(t *testing.T) {
			d := testData()
			d.AssessmentLink = link
			_, _, _, err := Render(DefaultTemplate(), d)
			assert.ErrorContains(t, err, "not an absolute http(s) URL")
		})
	}
}

func TestRenderDefaultTemplate(t *testing.T) {
	subject, htmlPart, text, err := Render(DefaultTemplate(), testData())
	require.NoError(t, err)
	assert.Equal(t, "Next step for your Data Analyst application at Acme & Sons", subject)
	assert.NotContains(t, text, "{{")
	assert.NotContains(t, htmlPart, "{{")
	assert.Contains(t, text, "about 25 minutes")
	assert.Contains(t, text, "by Friday, November 27, 2026 at 5:00 PM EST.")
	assert.Len(t, elements(t, htmlPart, "img"), 0, "no logo configured, no image")
}
