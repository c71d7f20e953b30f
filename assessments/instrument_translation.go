package assessments

import "slices"

// Translation is an instrument's candidate-facing text in one language.
// Every field is optional: what is missing shows in the instrument's own
// language (English). Ids, scales, keys and scoring never change with the
// language, so neither can a score.
type Translation struct {
	Name         string `json:"name,omitempty"`
	Description  string `json:"description,omitempty"`
	Instructions string `json:"instructions,omitempty"`
	// Labels replace the response format's labels, one for one.
	Labels []string `json:"labels,omitempty"`
	// Items are keyed by item id.
	Items map[string]ItemTranslation `json:"items,omitempty"`
}

// ItemTranslation is one item's text in a language: its question, and its
// statements and choices keyed by their ids.
type ItemTranslation struct {
	Text       string            `json:"text,omitempty"`
	Statements map[string]string `json:"statements,omitempty"`
	Choices    map[string]string `json:"choices,omitempty"`
}

// In returns the instrument as a candidate reading lang sees it: a copy
// with every translated text in place, and the original text wherever the
// translation has none. An instrument without that language is returned
// as it is.
func (inst *Instrument) In(lang string) *Instrument {
	tr, ok := inst.Translations[lang]
	if !ok {
		return inst
	}
	out := *inst
	out.Name = or(tr.Name, inst.Name)
	out.Description = or(tr.Description, inst.Description)
	out.Instructions = or(tr.Instructions, inst.Instructions)
	if len(tr.Labels) == len(inst.ResponseFormat.Labels) {
		out.ResponseFormat.Labels = tr.Labels
	}
	out.Items = make([]Item, len(inst.Items))
	for i, it := range inst.Items {
		out.Items[i] = it.in(tr.Items[it.ID])
	}
	return &out
}

// in is the item with its translated text, where there is some.
func (it Item) in(tr ItemTranslation) Item {
	it.Text = or(tr.Text, it.Text)
	it.Statements = slices.Clone(it.Statements)
	for i, st := range it.Statements {
		it.Statements[i].Text = or(tr.Statements[st.ID], st.Text)
	}
	it.Choices = slices.Clone(it.Choices)
	for i, ch := range it.Choices {
		it.Choices[i].Text = or(tr.Choices[ch.ID], ch.Text)
	}
	return it
}

func or(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// translations checks that each translation speaks of the instrument's own
// items, statements and choices, and has as many labels as the response
// format: a typo in an id would otherwise leave a question in English
// without anyone noticing.
func (c *checker) translations(inst *Instrument) {
	for lang, tr := range inst.Translations {
		if !validID(lang) {
			c.add("", "translation language %q must be a lowercase tag such as es", lang)
		}
		if len(tr.Labels) > 0 && len(tr.Labels) != len(inst.ResponseFormat.Labels) {
			c.add("", "translation %s has %d labels, the response format %d", lang, len(tr.Labels), len(inst.ResponseFormat.Labels))
		}
		for id, itr := range tr.Items {
			it, ok := inst.Item(id)
			if !ok {
				c.add(id, "translation %s names no item of the instrument", lang)
				continue
			}
			for sid := range itr.Statements {
				if !slices.ContainsFunc(it.Statements, func(s Statement) bool { return s.ID == sid }) {
					c.add(id, "translation %s names no statement %q", lang, sid)
				}
			}
			for cid := range itr.Choices {
				if !slices.ContainsFunc(it.Choices, func(ch Choice) bool { return ch.ID == cid }) {
					c.add(id, "translation %s names no choice %q", lang, cid)
				}
			}
		}
	}
}
