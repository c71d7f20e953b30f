package assessments

import (
	"strings"
	"time"
	// The zone database is built in, so that a zone an admin chose reads
	// the same on a host without /usr/share/zoneinfo.
	_ "time/tzdata"
)

// CheckTimeZone returns name, trimmed, when it is an IANA time zone
// ("Europe/Berlin", "UTC"); anything else is EINVALID.
func CheckTimeZone(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || name == "Local" {
		return "", Errorf(EINVALID, "Give an IANA time zone, such as Europe/Berlin or America/New_York.")
	}
	if _, err := time.LoadLocation(name); err != nil {
		return "", Errorf(EINVALID, "%q is not an IANA time zone. Try one such as Europe/Berlin or America/New_York.", name)
	}
	return name, nil
}

// Location is the tenant's time zone; UTC when none is set or the stored
// name no longer loads.
func (t Tenant) Location() *time.Location {
	if t.TimeZone == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(t.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// FormatDeadlineIn writes a deadline for admins in the time zone loc,
// named by its abbreviation ("Monday, June 8, 2026 09:00 CEST"); a nil
// loc is UTC.
func FormatDeadlineIn(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("Monday, January 2, 2006 15:04 MST")
}
