// Package e2e drives the candidate pages and the recruiter report in a real
// Chromium against the real server (web.New) on a real SQLite file. It has
// tests only; run them with go test ./e2e/.
package e2e
