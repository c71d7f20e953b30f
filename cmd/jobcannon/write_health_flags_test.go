package main

import (
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
)

func TestWriteFailingSettings(t *testing.T) {
	c, err := parseServe(nil, env(nil), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, assessments.DefaultWriteHealthPolicy, c.WriteHealth)

	c, err = parseServe([]string{"--write-failing-after", "2"}, env(map[string]string{"JOBCANNON_WRITE_FAILING_FOR": "1h"}), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, assessments.WriteHealthPolicy{Failures: 2, For: time.Hour}, c.WriteHealth)

	_, err = parseServe([]string{"--write-failing-after", "many"}, env(nil), io.Discard)
	assert.ErrorContains(t, err, "whole number")
}
