package jobs

import (
	"time"

	"github.com/jobcannon/jobcannon/icims"
)

// paceMessage is what the logs and write-back pages say about a job that
// waits for its turn at its customer's pace: why (ie, the pacer's
// refusal: the pace, or iCIMS's pause), and when its turn comes, as a
// time, since the page is read later than it was written. what names
// the job's work ("event", "step", "write").
func paceMessage(what string, ie *icims.Error, turn, now time.Time) string {
	at := turn.UTC().Format("15:04:05") + " UTC"
	if y, m, d := turn.UTC().Date(); y != now.UTC().Year() || m != now.UTC().Month() || d != now.UTC().Day() {
		at = turn.UTC().Format("Jan 2, 15:04") + " UTC"
	}
	return "JobCannon is pacing its calls to this customer's iCIMS (" + ie.Message + "); this " + what +
		" waits for its turn at " + at + "."
}
