package jobs

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFieldsPhrase(t *testing.T) {
	assert.Equal(t, "field rcf1", fieldsPhrase([]string{"rcf1"}))
	assert.Equal(t, "fields rcf1 and rcf2", fieldsPhrase([]string{"rcf1", "rcf2"}))
	assert.Equal(t, "fields rcf1, rcf2 and rcf3", fieldsPhrase([]string{"rcf1", "rcf2", "rcf3"}))
}

func TestNotFoundMessageTellsAMissingFieldFromABadValue(t *testing.T) {
	assert.True(t, notFoundMessage("rcf3001: Field is not valid."))
	assert.False(t, notFoundMessage("rcf3001: Value must be a number."))
}
