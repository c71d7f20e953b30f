package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"time"
)

// fuzzTargets are the project's fuzz targets, by package.
var fuzzTargets = []struct{ pkg, name string }{
	{"./icims/", "FuzzDecodeEvent"},
	{"./icims/", "FuzzReadWireBody"},
	{"./icims/", "FuzzVerifyHMAC"},
	{"./icims/", "FuzzInboundAuthenticate"},
	{"./icims/", "FuzzParseLinkHeader"},
	{"./assessments/", "FuzzParseInstrument"},
	{"./assessments/", "FuzzInstrumentShape"},
	{"./assessments/", "FuzzLoadInstruments"},
	{"./assessments/", "FuzzReadPageAnswers"},
	{"./assessments/", "FuzzScore"},
}

var fuzzExecs = regexp.MustCompile(`execs: (\d+)`)

// runFuzzTargets runs each fuzz target for d with go test -fuzz, from the
// module root (the current directory), and prints what each did. A target
// that finds a failure leaves its input under testdata/fuzz, as go test
// does, and makes the bench fail.
func runFuzzTargets(ctx context.Context, d time.Duration, out, log io.Writer) error {
	if _, err := os.Stat("go.mod"); err != nil {
		return errors.New("bench: --fuzz runs go test: run the bench from the repository root")
	}
	fmt.Fprintf(out, "\nFuzzing, %s per target (go test -fuzz, one worker):\n\n| target | executions | result |\n|---|---|---|\n", d)
	var failed []string
	for _, t := range fuzzTargets {
		fmt.Fprintf(log, "bench: fuzzing %s for %s\n", t.name, d)
		cmd := exec.CommandContext(ctx, "go", "test", "-run", "^$", "-fuzz", "^"+t.name+"$", "-fuzztime", d.String(), "-parallel", "1", t.pkg)
		var buf bytes.Buffer
		cmd.Stdout, cmd.Stderr = &buf, &buf
		err := cmd.Run()
		execs := "?"
		if m := fuzzExecs.FindAllStringSubmatch(buf.String(), -1); len(m) > 0 {
			execs = m[len(m)-1][1]
		}
		result := "no failure"
		if err != nil {
			result = "FAILED (see the output above)"
			failed = append(failed, t.name)
			fmt.Fprintln(log, buf.String())
		}
		fmt.Fprintf(out, "| %s | %s | %s |\n", t.name, execs, result)
	}
	if len(failed) > 0 {
		return fmt.Errorf("bench: fuzz targets failed: %v", failed)
	}
	return nil
}
