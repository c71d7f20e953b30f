package storage_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/mail"
	"github.com/jobcannon/jobcannon/storage"
)

func TestEmailTemplateSaveResetAndScope(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	s := storage.NewEmailTemplateStore(f.db, f.clock)
	other := f.tenant(t, "9999")

	got, custom, err := s.Template(ctx, f.tenantID)
	require.NoError(t, err)
	assert.False(t, custom)
	assert.Equal(t, mail.DefaultTemplate(), got)

	mine := mail.Template{Subject: "Hi {{candidate_first_name}}", Body: "Go: {{assessment_link}}", SenderName: "Acme Talent",
		ReplyTo: "talent@acme.example", LogoURL: "https://cdn.acme.example/logo.png", BrandColor: "#0b6e4f"}
	require.NoError(t, s.SaveTemplate(ctx, f.tenantID, 7, mine))
	got, custom, err = s.Template(ctx, f.tenantID)
	require.NoError(t, err)
	assert.True(t, custom)
	assert.Equal(t, mine, got)

	mine.Subject = "Second"
	require.NoError(t, s.SaveTemplate(ctx, f.tenantID, 7, mine), "saving again replaces")
	got, _, err = s.Template(ctx, f.tenantID)
	require.NoError(t, err)
	assert.Equal(t, "Second", got.Subject)

	theirs, custom, err := s.Template(ctx, other)
	require.NoError(t, err)
	assert.False(t, custom, "another tenant still has the default")
	assert.Equal(t, mail.DefaultTemplate(), theirs)

	err = s.SaveTemplate(ctx, f.tenantID, 7, mail.Template{Subject: "x", Body: "{{salary}}"})
	assert.Equal(t, assessments.EINVALID, assessments.ErrorCode(err))
	got, _, err = s.Template(ctx, f.tenantID)
	require.NoError(t, err)
	assert.Equal(t, "Second", got.Subject, "an invalid template changes nothing")

	require.NoError(t, s.ResetTemplate(ctx, f.tenantID))
	_, custom, err = s.Template(ctx, f.tenantID)
	require.NoError(t, err)
	assert.False(t, custom)
}
