package icims

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Zero-padded ids name the same iCIMS objects as their plain spelling:
// decoding makes them canonical, so duplicate detection downstream holds.
func TestDecodeEventCanonicalIDs(t *testing.T) {
	body := []byte(`{"eventType":"WorkFlowStatusChangeEvent","customerId":"01234","systemId":"0003002",
		"jobId":" 2002","personId":"0001002","userId":"000","oldStatus":"C51001","newStatus":"C51003"}`)
	ev, _, err := ParseEvent(eventRequest(body, map[string]string{"Content-Type": "application/json"}), 1<<20)
	require.NoError(t, err)
	assert.Equal(t, "1234", ev.CustomerID)
	assert.Equal(t, "3002", ev.SystemID)
	assert.Equal(t, "2002", ev.JobID)
	assert.Equal(t, "1002", ev.PersonID)
	assert.Equal(t, "0", ev.UserID)

	// Numbers are ids too.
	body = []byte(`{"eventType":"AssessmentEvent","customerId":1234,"systemId":3002,"userId":"0001002",
		"returnUrl":"https://example.com/back"}`)
	ev, _, err = ParseEvent(eventRequest(body, map[string]string{"Content-Type": "application/json"}), 1<<20)
	require.NoError(t, err)
	assert.Equal(t, "1002", ev.UserID)
}
