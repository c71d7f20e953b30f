package assessments

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type testSigner struct{ key []byte }

func (s testSigner) Sign(msg []byte) string {
	m := hmac.New(sha256.New, s.key)
	m.Write(msg)
	return "k1." + hex.EncodeToString(m.Sum(nil))
}

func (s testSigner) Verify(msg []byte, sig string) bool {
	return hmac.Equal([]byte(s.Sign(msg)), []byte(sig))
}

func TestConfirmLinks(t *testing.T) {
	signer := testSigner{key: []byte("k")}
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	path := ConfirmPath(signer, "pub-ID_1", now.Add(ConfirmTTL))
	require.Contains(t, path, ConfirmPathPrefix)
	token := path[len(ConfirmPathPrefix):]

	id, err := ParseConfirmToken(signer, token, now)
	require.NoError(t, err)
	assert.Equal(t, "pub-ID_1", id)

	_, err = ParseConfirmToken(signer, token, now.Add(ConfirmTTL))
	assert.Equal(t, EFORBIDDEN, ErrorCode(err), "expired")
	for _, bad := range []string{"", "pub-ID_1", token + "x", "other" + token[8:], testSigner{key: []byte("x")}.Sign(nil)} {
		_, err = ParseConfirmToken(signer, bad, now)
		assert.Equal(t, ENOTFOUND, ErrorCode(err), bad)
	}
}

func TestEventAnswersRoundTrip(t *testing.T) {
	for _, a := range []EventAnswer{
		{Status: AnswerOK, UserMessage: MessageAccepted, Debug: "delivery x"},
		{Status: AnswerBadRequest, UserMessage: DuplicateInvitationMessage, Debug: "duplicate"},
		{Status: AnswerSeeOther},
	} {
		got, err := ParseEventAnswer(a.Status, a.JSON())
		require.NoError(t, err)
		assert.Equal(t, a, got)
	}
	assert.JSONEq(t, `{"error":{"userMessage":"m","debugErrorMessage":"d"}}`,
		string(EventAnswer{Status: 400, UserMessage: "m", Debug: "d"}.JSON()), "iCIMS's vendor error shape")
}

func TestRedactHeaders(t *testing.T) {
	got := RedactHeaders(map[string][]string{
		"Authorization": {"Basic x"}, "cookie": {"a=b"}, "X-Api-Token": {"t"}, "X-Icims-Content-Sha256": {"abc"},
		"Content-Type": {"application/json"}, "Link": {"<a>", "<b>"},
	})
	assert.Equal(t, map[string]string{"X-Icims-Content-Sha256": "abc", "Content-Type": "application/json", "Link": "<a>, <b>"}, got)
}

func TestDedupeKeyIsPerTenant(t *testing.T) {
	body := []byte(`{"a":1}`)
	assert.Equal(t, DedupeKey(1, body), DedupeKey(1, body))
	assert.NotEqual(t, DedupeKey(1, body), DedupeKey(2, body))
	assert.NotEqual(t, DedupeKey(1, body), DedupeKey(1, []byte(`{"a":2}`)))
}
