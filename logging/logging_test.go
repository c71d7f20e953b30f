package logging

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRecordsCarryTheRequestID(t *testing.T) {
	var buf bytes.Buffer
	log, err := New(&buf, "json", slog.LevelInfo)
	require.NoError(t, err)
	log.With("tenant", "1234").InfoContext(WithRequestID(context.Background(), "req-1"), "hello")
	var rec map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &rec))
	assert.Equal(t, "req-1", rec["request_id"])
	assert.Equal(t, "1234", rec["tenant"])
}

func TestAutoFormatIsJSONOffATerminal(t *testing.T) {
	var buf bytes.Buffer
	log, err := New(&buf, "", slog.LevelInfo)
	require.NoError(t, err)
	log.Info("x")
	assert.True(t, json.Valid(buf.Bytes()), buf.String())
}

func TestBadSettingsAreRejected(t *testing.T) {
	_, err := ParseLevel("loud")
	assert.ErrorContains(t, err, "want debug")
	_, err = New(&bytes.Buffer{}, "xml", slog.LevelInfo)
	assert.ErrorContains(t, err, "want text or json")
	l, err := ParseLevel("WARN")
	require.NoError(t, err)
	assert.Equal(t, slog.LevelWarn, l)
}
