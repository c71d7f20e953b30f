package assessments

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An extension's day is the tenant's: "until June 3" in New York ends at
// 23:59:59 EDT, four hours after June 3 ends in UTC, and the last day the
// form offers there is allowed in full.
func TestExtensionDaysAreTheTenantsDays(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	require.NoError(t, err)

	assert.Equal(t, time.Date(2026, 6, 4, 3, 59, 59, 0, time.UTC),
		EndOfDay(time.Date(2026, 6, 3, 0, 0, 0, 0, ny)).UTC(), "June 3 ends in New York at 03:59:59 UTC on June 4")
	assert.Equal(t, time.Date(2026, 6, 3, 14, 59, 59, 0, time.UTC),
		EndOfDay(time.Date(2026, 6, 3, 0, 0, 0, 0, tokyo)).UTC(), "June 3 ends in Tokyo at 14:59:59 UTC")

	// 20:00 UTC on June 1 is already June 2 in Tokyo: the latest day is
	// counted from there.
	late := time.Date(2026, 6, 1, 20, 0, 0, 0, time.UTC)
	assert.Equal(t, "2026-08-31", LatestExtension(late.In(tokyo)).Format(time.DateOnly))
	assert.Equal(t, "2026-08-30", LatestExtension(late).Format(time.DateOnly))

	inv := Invitation{Status: StatusSent, ExpiresAt: lifeNow.Add(days(10))}
	cases := []struct {
		name  string
		until time.Time
		want  string
	}{
		{"the last day allowed, in New York", EndOfDay(lifeNow.In(ny).Add(MaxExtension)), ""},
		{"a day past it, in New York", EndOfDay(lifeNow.In(ny).Add(MaxExtension + days(1))), "at most 90 days from now"},
		{"the last day allowed, in Tokyo", EndOfDay(lifeNow.In(tokyo).Add(MaxExtension)), ""},
		{"a day past it, in Tokyo", EndOfDay(lifeNow.In(tokyo).Add(MaxExtension + days(1))), "at most 90 days from now"},
		{"not later, said in Tokyo time", EndOfDay(lifeNow.In(tokyo).Add(days(2))), "later than the current one, Thursday, June 11, 2026 18:00 JST."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := CheckExtension(inv, c.until, lifeNow)
			if c.want == "" {
				assert.NoError(t, err)
				return
			}
			assert.Equal(t, EINVALID, ErrorCode(err))
			assert.Contains(t, ErrorMessage(err), c.want)
		})
	}
}
