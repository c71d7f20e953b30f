package icimstest

import (
	"strings"
	"time"
)

// parseSearchDate reads a Search API date: "yyyy-MM-dd hh:mm a" or
// "yyyy-MM-dd" (midnight), both UTC.
func parseSearchDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{DateTimeFormat, DateFormat} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// matchDate applies a date filter as iCIMS's Search API documents it: with
// "=", value is the start of a range and secondaryValue its end (either may
// be left out); the other operators compare with value. A date in a format
// iCIMS does not recognise lets every profile through, as iCIMS does.
func matchDate(have, values, secondary []string, op string) bool {
	if len(have) == 0 {
		return false
	}
	at, ok := parseSearchDate(have[0])
	if !ok {
		return false
	}
	var start, end time.Time
	hasStart, hasEnd := len(values) > 0, len(secondary) > 0
	if hasStart {
		if start, ok = parseSearchDate(values[0]); !ok {
			return true
		}
	}
	if hasEnd {
		if end, ok = parseSearchDate(secondary[0]); !ok {
			return true
		}
	}
	if !hasStart && !hasEnd {
		return true
	}
	switch op {
	case "=", "!=":
		in := (!hasStart || !at.Before(start)) && (!hasEnd || !at.After(end))
		return in == (op == "=")
	case "<":
		return at.Before(start)
	case ">":
		return at.After(start)
	case "<=":
		return !at.After(start)
	default:
		return !at.Before(start)
	}
}
