//go:build !race

package jobs

// raceDetector is set when the tests run under -race, ten times slower:
// timing tests that need the pace to bind skip then.
const raceDetector = false
