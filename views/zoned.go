package views

import "time"

// zoned writes t for a reader in loc, "2026-01-02 15:04 CET", named by
// the abbreviation loc uses at that instant (summer and winter differ). A
// nil loc is UTC: the pages with no tenant behind them. The zero time, a
// moment that has not happened, is "—".
func zoned(t time.Time, loc *time.Location) string {
	return zonedLayout(t, loc, "2006-01-02 15:04 MST")
}

// zonedSeconds is zoned to the second, for the logs, where the order of
// calls within a minute matters.
func zonedSeconds(t time.Time, loc *time.Location) string {
	return zonedLayout(t, loc, "2006-01-02 15:04:05 MST")
}

func zonedLayout(t time.Time, loc *time.Location, layout string) string {
	if t.IsZero() {
		return "—"
	}
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format(layout)
}

// zoneName names loc for a sentence ("Asia/Tokyo"); nil is UTC.
func zoneName(loc *time.Location) string {
	if loc == nil {
		return "UTC"
	}
	return loc.String()
}
