package assessments

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReasoningAnswerKey works every question of the reasoning test out
// independently of the definition and checks that the keyed choice says the
// same, so a mistyped key or an edited question cannot slip through.
func TestReasoningAnswerKey(t *testing.T) {
	inst := builtin(t, "reasoning")

	shiftEnd := time.Date(2026, 1, 1, 8, 45, 0, 0, time.UTC).Add(7*time.Hour + 30*time.Minute)
	next := func(seq []int) int {
		// Each term is twice the previous plus one; check that before using it.
		for i := 1; i < len(seq); i++ {
			require.Equal(t, 2*seq[i-1]+1, seq[i])
		}
		return 2*seq[len(seq)-1] + 1
	}
	shift := func(word string) string {
		return strings.Map(func(r rune) rune { return r + 1 }, word)
	}
	require.Equal(t, "QMBO", shift("PLAN"), "the code in the question")

	want := map[string]string{
		"n01": fmt.Sprint(int(math.Ceil(150.0 / 12))),
		"n02": shiftEnd.Format("15:04"),
		"n03": fmt.Sprintf("$%.0f", 80*(1-0.25)),
		"n04": fmt.Sprintf("%.0f%%", (460.0-400)/400*100),
		"n05": fmt.Sprint(next([]int{3, 7, 15, 31})),
		"n06": fmt.Sprintf("$%d", 1800*4/(2+3+4)),
		"n07": fmt.Sprint(4 * 6 / 6), // 24 person-hours shared by 6 people
		"n08": fmt.Sprintf("%.0f%% lower", (1-1.2*0.8)*100),
		"n09": fmt.Sprintf("%.0f km/h", 120/(60.0/30+60.0/60)),
		"n10": fmt.Sprint(5*18 - 4*16),
		// All in the blue folder are approved, this one is in it.
		"l01": "This report is approved.",
		// The only one that is not a business document.
		"l02": "stapler",
		"l03": string(rune('A' + 2*4)),
		// Those managers who are engineers have a degree.
		"l04": "Some managers have a degree.",
		"l05": secondYoungest(t),
		// Lights off rules out an open office (modus tollens).
		"l06": "The office is not open.",
		"l07": shift("DESK"),
		"l08": firstMeeting(t),
	}
	require.Len(t, inst.Items, len(want))
	for _, it := range inst.Items {
		t.Run(it.ID, func(t *testing.T) {
			w, ok := want[it.ID]
			require.True(t, ok, "question without a worked answer")
			matches := 0
			keyed := ""
			for _, c := range it.Choices {
				if c.Text == w {
					matches++
				}
				if c.ID == it.Answer {
					keyed = c.Text
				}
			}
			assert.Equal(t, 1, matches, "exactly one choice should be %q", w)
			assert.Equal(t, w, keyed)
		})
	}
}

// secondYoungest solves l05 by trying every age order of the four people.
func secondYoungest(t *testing.T) string {
	people := []string{"Ana", "Ben", "Cara", "Dev"}
	var found []string
	permute(people, func(oldestFirst []string) {
		pos := map[string]int{}
		for i, p := range oldestFirst {
			pos[p] = i
		}
		if pos["Ana"] < pos["Ben"] && pos["Ben"] < pos["Cara"] && pos["Dev"] > pos["Cara"] {
			found = append(found, oldestFirst[len(oldestFirst)-2])
		}
	})
	require.Equal(t, []string{"Cara"}, found, "the facts should allow one order")
	return found[0]
}

// firstMeeting solves l08 by trying every order of the five meetings.
func firstMeeting(t *testing.T) string {
	firsts := map[string]bool{}
	permute([]string{"A", "B", "C", "D", "E"}, func(order []string) {
		pos := map[string]int{}
		for i, m := range order {
			pos[m] = i
		}
		if pos["B"] == pos["A"]+1 && pos["D"] < pos["A"] && pos["E"] == 4 && pos["C"] != 0 {
			firsts[order[0]] = true
		}
	})
	require.Len(t, firsts, 1, "the rules should fix the first meeting")
	for m := range firsts {
		return m
	}
	return ""
}

func permute(items []string, visit func([]string)) {
	var rec func(int)
	rec = func(k int) {
		if k == len(items) {
			visit(append([]string(nil), items...))
			return
		}
		for i := k; i < len(items); i++ {
			items[k], items[i] = items[i], items[k]
			rec(k + 1)
			items[k], items[i] = items[i], items[k]
		}
	}
	rec(0)
}
