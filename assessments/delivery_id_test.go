package assessments_test

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
)

func TestDeliveryIDsKeepTimeOrderAndRandomness(t *testing.T) {
	t0 := time.Date(2026, 12, 3, 19, 0, 0, 0, time.UTC)
	var last []byte
	seen := map[string]bool{}
	for i := range 200 {
		id, err := assessments.NewDeliveryID(rand.Reader, t0.Add(time.Duration(i)*time.Millisecond))
		require.NoError(t, err)
		require.Len(t, id, 22)
		require.False(t, seen[id])
		seen[id] = true
		raw, err := base64.RawURLEncoding.DecodeString(id)
		require.NoError(t, err)
		require.Len(t, raw, 16)
		// The first six bytes are the time, so later ids sort after
		// earlier ones byte by byte and ids made together share a prefix.
		if last != nil {
			assert.Equal(t, 1, bytes.Compare(raw[:6], last[:6]), "id %d", i)
		}
		last = raw
	}
	a, err := assessments.NewDeliveryID(rand.Reader, t0)
	require.NoError(t, err)
	b, err := assessments.NewDeliveryID(rand.Reader, t0)
	require.NoError(t, err)
	assert.Equal(t, a[:8], b[:8], "the same millisecond: the same time prefix")
	assert.NotEqual(t, a[8:], b[8:], "80 random bits after it")
}
