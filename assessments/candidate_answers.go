package assessments

import (
	"slices"
	"strconv"
)

// Form field names of the candidate pages. They are part of the pages'
// markup, so views and ReadPageAnswers share them.

// AnswerField names the field of a Likert or ability item.
func AnswerField(itemID string) string { return "a." + itemID }

// MostField names the "most like me" field of a forced-choice block.
func MostField(itemID string) string { return "m." + itemID }

// LeastField names the "least like me" field of a forced-choice block.
func LeastField(itemID string) string { return "l." + itemID }

// ReadPageAnswers reads a page's answers from a submitted form. Items left
// blank are skipped, not errors. A forced-choice block with only one pick or
// the same statement twice is a Problem for the candidate to fix (its field
// is the item id) and is not saved; a value no honest form can send is an
// EINVALID error.
func ReadPageAnswers(inst *Instrument, items []Item, get func(string) string) (map[string]Answer, []Problem, error) {
	answers := map[string]Answer{}
	var problems []Problem
	for _, it := range items {
		switch inst.Kind {
		case KindLikert:
			raw := get(AnswerField(it.ID))
			if raw == "" {
				continue
			}
			v, err := strconv.Atoi(raw)
			if err != nil || v < inst.ResponseFormat.Min || v > inst.ResponseFormat.Max {
				return nil, nil, Errorf(EINVALID, "That answer is not one of the options.")
			}
			answers[it.ID] = Answer{Value: v}
		case KindAbility:
			c := get(AnswerField(it.ID))
			if c == "" {
				continue
			}
			if !slices.ContainsFunc(it.Choices, func(ch Choice) bool { return ch.ID == c }) {
				return nil, nil, Errorf(EINVALID, "That answer is not one of the options.")
			}
			answers[it.ID] = Answer{Choice: c}
		case KindForcedChoice:
			most, least := get(MostField(it.ID)), get(LeastField(it.ID))
			for _, id := range []string{most, least} {
				if _, ok := statementStyle(it, id); id != "" && !ok {
					return nil, nil, Errorf(EINVALID, "That answer is not one of the options.")
				}
			}
			label := "Group " + strconv.Itoa(ItemNumber(inst, it.ID))
			switch {
			case most == "" && least == "":
				continue
			case most == "":
				problems = append(problems, Problem{Field: it.ID, Message: label + ": also choose the statement most like you."})
			case least == "":
				problems = append(problems, Problem{Field: it.ID, Message: label + ": also choose the statement least like you."})
			case most == least:
				problems = append(problems, Problem{Field: it.ID, Message: label + ": choose a different statement for most and for least like you."})
			default:
				answers[it.ID] = Answer{Most: most, Least: least}
			}
		}
	}
	return answers, problems, nil
}

// ItemNumber is an item's position in its instrument, counting from 1, as
// the candidate pages number questions.
func ItemNumber(inst *Instrument, itemID string) int {
	return slices.IndexFunc(inst.Items, func(it Item) bool { return it.ID == itemID }) + 1
}
