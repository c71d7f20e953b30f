package app

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// The write-back problems page says since when a write has been failing in
// the tenant's zone, as every admin page does.
func TestWritebackProblemSinceIsInTheTenantsTimeZone(t *testing.T) {
	e := newWritebackEnv(t)
	require.NoError(t, e.app.tenants.SetTimeZone(e.ctx, e.tenant.ID, "Asia/Tokyo"))
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	require.NoError(t, err)
	c := e.invite(3)
	c.sent()
	c.waitFor(assessments.WritebackDone)
	e.faults(icimstest.Faults{MissingScope: assessments.ScopeProfileWrite})
	c.startAndComplete(64, assessments.VerdictConsider)
	wb := c.waitFor(assessments.WritebackFailed)
	require.Equal(t, http.StatusForbidden, wb.HTTPStatus)
	require.False(t, wb.FailingSince.IsZero())

	body := htmlUnescape(e.problemsPage().Body)
	assert.Contains(t, body, "Since "+wb.FailingSince.In(tokyo).Format("2006-01-02 15:04")+" JST")
}
