package mail

// emailLayout is the HTML part of an invitation. Mail apps ignore <style>
// blocks and modern CSS, so it uses nested tables, inline styles and a
// bgcolor attribute (Outlook's Word engine paints only that on the button).
// html/template escapes every value it prints, the admin's text included.
const emailLayout = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Subject}}</title>
</head>
<body style="margin:0;padding:0;background-color:#f3f4f6;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f3f4f6;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;background-color:#ffffff;border-radius:8px;">
{{- if .Logo}}
<tr><td style="padding:28px 32px 0 32px;"><img src="{{.Logo}}" alt="{{.Company}}" height="40" style="display:block;height:40px;width:auto;border:0;"></td></tr>
{{- end}}
<tr><td style="padding:24px 32px 16px 32px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:24px;color:#1f2937;">
{{- range .Blocks}}
{{- if .Button}}
<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 16px 0;">
<tr><td align="center" bgcolor="{{$.Color}}" style="border-radius:6px;background-color:{{$.Color}};">
<a href="{{$.Link}}" target="_blank" style="display:inline-block;padding:14px 28px;font-family:Arial,Helvetica,sans-serif;font-size:18px;font-weight:bold;line-height:22px;color:{{$.ButtonText}};text-decoration:none;border-radius:6px;">Start the assessment</a>
</td></tr>
</table>
<p style="margin:0 0 20px 0;font-size:13px;line-height:20px;color:#4b5563;">If the button does not work, copy this link into your browser:<br><a href="{{$.Link}}" style="color:{{$.LinkColor}};word-break:break-all;">{{$.Link}}</a></p>
{{- else}}
<p style="margin:0 0 16px 0;">{{range $i, $line := .Lines}}{{if $i}}<br>{{end}}{{range $line}}{{if .Link}}<a href="{{.Link}}" style="color:{{$.LinkColor}};word-break:break-all;">{{.Link}}</a>{{else}}{{.Text}}{{end}}{{end}}{{end}}</p>
{{- end}}
{{- end}}
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`
