package handlers

import "github.com/jobcannon/jobcannon/icims"

// canonicalOrRaw returns s in its icims.CanonicalID spelling, so that an id
// typed as "02001" compares equal to the "2001" iCIMS sends; s is returned
// as typed when it is no id at all, for the domain's validation to refuse
// with its own message.
func canonicalOrRaw(s string) string {
	if id, err := icims.CanonicalID(s); err == nil {
		return id
	}
	return s
}

// canonicalList is canonicalOrRaw for each id of a list.
func canonicalList(ids []string) []string {
	for i, s := range ids {
		ids[i] = canonicalOrRaw(s)
	}
	return ids
}
