// Package assessments is the domain of JobCannon: tenants, trigger rules, the
// catalog and its instruments, invitations and their lifecycle, scoring and
// results. It declares interfaces for what it needs from the outside (the
// store, iCIMS, the mailer, the clock) and knows nothing of HTTP or SQL.
package assessments
