package bench

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestBenchAnswersEveryQuestionOfAPage(t *testing.T) {
	page := `<fieldset class="q"><input type="radio" name="a.e01" value="1"/><input type="radio" name="a.e01" value="2"/>
		<input type="radio" name="a.e02" value="1"/><input type="radio" name="a.e02" value="2"/></fieldset>`
	form := answerForm(page)
	assert.Len(t, form, 2)
	assert.Contains(t, []string{"1", "2"}, form.Get("a.e01"))
	assert.Contains(t, []string{"1", "2"}, form.Get("a.e02"))
	assert.Empty(t, answerForm("<p>Instructions</p>"))
}

func TestBenchPercentile(t *testing.T) {
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	var sorted []time.Duration
	for i := 1; i <= 100; i++ {
		sorted = append(sorted, ms(i))
	}
	assert.Equal(t, ms(51), percentile(sorted, 0.5))
	assert.Equal(t, ms(100), percentile(sorted, 0.99))
	assert.Equal(t, time.Duration(0), percentile(nil, 0.5))
}
