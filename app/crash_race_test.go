//go:build race

package app

// raceEnabled says the tests run with the race detector, so that the
// binaries they build for the crash test use it too.
const raceEnabled = true
