package icims

import (
	"fmt"
	"strings"
)

// maxIDDigits bounds an id's significant digits: iCIMS's ids are small
// integers, and a longer string is not one of them.
const maxIDDigits = 20

// CanonicalID returns the one spelling of an iCIMS id that the project
// stores and compares: surrounding spaces trimmed and leading zeros
// stripped, so that "0003002" and "3002" name the same application and
// duplicate detection holds; "0" (or "000") stays "0". An empty string
// stays empty, since whether an id is required is the caller's business.
// Anything but digits is refused: ids go into iCIMS API paths and rows.
func CanonicalID(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return "", fmt.Errorf("icims: %q is not an iCIMS id: ids are digits", s)
		}
	}
	s = strings.TrimLeft(s, "0")
	if s == "" {
		return "0", nil
	}
	if len(s) > maxIDDigits {
		return "", fmt.Errorf("icims: %q is not an iCIMS id: more than %d digits", s, maxIDDigits)
	}
	return s, nil
}
