package assessments

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBigFiveSpeaksSpanishAndFallsBackToEnglish(t *testing.T) {
	inst := builtin(t, "big-five-work")
	es := inst.In("es")

	assert.Equal(t, "Personalidad en el trabajo (Big Five)", es.Name)
	assert.Contains(t, es.Instructions, "No hay respuestas correctas ni incorrectas")
	assert.Equal(t, "Totalmente de acuerdo", es.ResponseFormat.Labels[4])
	first, ok := es.Item("e01")
	require.True(t, ok)
	assert.Equal(t, "Disfruto abriendo una reunión con personas con las que no he trabajado antes.", first.Text)
	for _, it := range es.Items {
		orig, _ := inst.Item(it.ID)
		assert.NotEqual(t, orig.Text, it.Text, "every Big Five item is translated: %s", it.ID)
		assert.Equal(t, orig.Scale, it.Scale)
		assert.Equal(t, orig.Reverse, it.Reverse)
	}

	orig, _ := inst.Item("e01")
	assert.Equal(t, "I enjoy opening a meeting with people I have not worked with before.", orig.Text, "the shared instrument is not changed")
	assert.Equal(t, "Strongly agree", inst.ResponseFormat.Labels[4])
	assert.Same(t, inst, inst.In("de"), "a language without a translation is the instrument itself")
	assert.Same(t, inst, inst.In("en"))
}

func TestTranslationFallsBackFieldByField(t *testing.T) {
	inst := builtin(t, "work-style")
	var it Item
	for _, i := range inst.Items {
		if len(i.Statements) > 1 {
			it = i
			break
		}
	}
	require.NotEmpty(t, it.ID)
	partial := *inst
	partial.Translations = map[string]Translation{"es": {
		Name:   "Estilo de trabajo",
		Labels: []string{"only one"},
		Items:  map[string]ItemTranslation{it.ID: {Statements: map[string]string{it.Statements[0].ID: "Primera afirmación"}}},
	}}
	es := partial.In("es")
	assert.Equal(t, "Estilo de trabajo", es.Name)
	assert.Equal(t, inst.Description, es.Description, "no description translated: English")
	assert.Equal(t, inst.ResponseFormat.Labels, es.ResponseFormat.Labels, "labels that do not match one for one are not used")
	got, _ := es.Item(it.ID)
	assert.Equal(t, "Primera afirmación", got.Statements[0].Text)
	assert.Equal(t, it.Statements[1].Text, got.Statements[1].Text, "an untranslated statement stays English")
	assert.Equal(t, it.Statements[0].ID, got.Statements[0].ID)
	again, _ := inst.Item(it.ID)
	assert.NotEqual(t, "Primera afirmación", again.Statements[0].Text, "the original's statements are not shared")
}

func TestScoringDoesNotDependOnTheLanguage(t *testing.T) {
	inst := builtin(t, "big-five-work")
	values := map[string]int{}
	for i, it := range inst.Items {
		values[it.ID] = 1 + i%5
	}
	t0 := attemptStart()
	r := Responses{StartedAt: t0, FinishedAt: t0.Add(6 * time.Minute), Answers: likertAnswers(values, 4000)}
	en, err := Score(inst, r)
	require.NoError(t, err)
	es, err := Score(inst.In("es"), r)
	require.NoError(t, err)
	assert.Equal(t, en, es)
}

func TestTranslationsMustNameTheInstrumentsOwnItems(t *testing.T) {
	inst := builtin(t, "big-five-work")
	for name, tr := range map[string]Translation{
		"unknown item":          {Items: map[string]ItemTranslation{"zz99": {Text: "x"}}},
		"labels one for one":    {Labels: []string{"a", "b"}},
		"statement of a likert": {Items: map[string]ItemTranslation{"e01": {Statements: map[string]string{"s1": "x"}}}},
		"choice of a likert":    {Items: map[string]ItemTranslation{"e01": {Choices: map[string]string{"a": "x"}}}},
	} {
		t.Run(name, func(t *testing.T) {
			def := *inst
			def.Translations = map[string]Translation{"es": tr}
			data, err := json.Marshal(&def)
			require.NoError(t, err)
			_, err = ParseInstrument("big-five-work.json", data)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "translation es")
		})
	}
	def := *inst
	def.Translations = map[string]Translation{"Spanish!": {Name: "x"}}
	data, err := json.Marshal(&def)
	require.NoError(t, err)
	_, err = ParseInstrument("big-five-work.json", data)
	assert.ErrorContains(t, err, `translation language "Spanish!"`)
}
