package assessments

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestRedactAttemptRemovesEverySecret(t *testing.T) {
	secrets := []string{"tok-ACCESS-123456", "tok-REFRESH-654321", "s3cr3t-client", "hunter2-password", "CANDIDATEtoken43chars",
		"REPORTtok.sig", "CONFIRMtok", "INVITEtok", "cookie-VALUE-1", "BEARERvalue99", "b64basicXYZ=", "hmacSIG0123"}
	a := RedactAttempt(DeliveryAttempt{
		Method: "POST",
		URL:    "https://jc.example/a/CANDIDATEtoken43chars?state=abc&code=xyz",
		RequestHeaders: map[string]string{
			"Authorization": "Bearer BEARERvalue99", "cookie": "jc_session=cookie-VALUE-1", "X-Api-Token": "tok-ACCESS-123456",
			"Content-Type": "application/json", "Link": "<https://jc.example/r/REPORTtok.sig>; rel=report",
		},
		RequestBody: `{"grant_type":"refresh_token","refresh_token":"tok-REFRESH-654321","client_secret":"s3cr3t-client",` +
			`"nested":{"password":"hunter2-password"},"assessmenturl":"https://jc.example/r/REPORTtok.sig","n":1}`,
		ResponseBody: `access_token=tok-ACCESS-123456&token_type=Bearer&expires_in=3600`,
		Error: "Basic b64basicXYZ= refused; confirm at https://jc.example/icims/confirm/CONFIRMtok, invite /admin/invite/INVITEtok; " +
			"x-icims-v1-hmac-sha256 user=api-1, signedheaders=host, signature=hmacSIG0123",
	})
	all := a.URL + a.RequestBody + a.ResponseBody + a.Error
	for _, v := range a.RequestHeaders {
		all += v
	}
	for _, s := range secrets {
		assert.NotContains(t, all, s)
	}
	assert.Equal(t, Redacted, a.RequestHeaders["Authorization"])
	assert.Equal(t, Redacted, a.RequestHeaders["Cookie"])
	assert.Equal(t, "application/json", a.RequestHeaders["Content-Type"], "ordinary headers stay")
	assert.Contains(t, a.URL, "/a/"+Redacted)
	assert.Contains(t, a.RequestBody, `"grant_type": "refresh_token"`, "the rest of the body stays, indented")
	assert.Contains(t, a.RequestBody, `"n": 1`)
	assert.Contains(t, a.ResponseBody, "expires_in=3600")
}

func TestRedactBodyKeepsOrdinaryText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"accepted", "accepted"},
		{"Job not found.", "Job not found."},
		{`{"errors":[{"errorMessage":"Job not found.","errorCode":2}]}`, "{\n  \"errors\": [\n    {\n      \"errorMessage\": \"Job not found.\",\n      \"errorCode\": 2\n    }\n  ]\n}"},
		{"not json {", "not json {"},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			assert.Equal(t, c.want, RedactBody(c.in))
		})
	}
}

func TestLogFilterNormalize(t *testing.T) {
	cases := []struct {
		name string
		in   LogFilter
		want LogFilter
	}{
		{"defaults", LogFilter{}, LogFilter{Limit: DefaultLogPageSize}},
		{"a kind decides its direction", LogFilter{Kind: string(StepScorecard), Direction: DirectionInbound},
			LogFilter{Kind: string(StepScorecard), Direction: DirectionOutbound, Limit: DefaultLogPageSize}},
		{"an unknown kind is an inbound event type", LogFilter{Kind: "JobPostToWebEvent"},
			LogFilter{Kind: "JobPostToWebEvent", Direction: DirectionInbound, Limit: DefaultLogPageSize}},
		{"unknown values are dropped", LogFilter{Direction: "sideways", Result: "maybe", Limit: 10_000},
			LogFilter{Limit: MaxLogPageSize}},
		{"one cursor at a time", LogFilter{Before: 5, After: 3}, LogFilter{Before: 5, Limit: DefaultLogPageSize}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, c.in.Normalize())
		})
	}
}

func TestLogFilterRefreshesOnlyTheNewestPage(t *testing.T) {
	now := time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC)
	assert.True(t, LogFilter{}.FirstPage(now))
	assert.True(t, LogFilter{Result: LogFailed, To: now.Add(time.Hour)}.FirstPage(now), "a range that has not ended")
	assert.False(t, LogFilter{Before: 10}.FirstPage(now), "an older page")
	assert.False(t, LogFilter{After: 10}.FirstPage(now))
	assert.False(t, LogFilter{To: now.Add(-time.Hour)}.FirstPage(now), "a range that ended")
}

func TestRedeliverAndRetryAreOfferedOnlyWhereTheyWork(t *testing.T) {
	cases := []struct {
		name string
		e    LogEntry
		why  string
	}{
		{"status change", LogEntry{Delivery: Delivery{Direction: DirectionInbound, Event: InboundEvent{Type: EventStatusChange}}}, ""},
		{"purged", LogEntry{Delivery: Delivery{Direction: DirectionInbound, Event: InboundEvent{Type: EventStatusChange}},
			PurgedAt: time.Now()}, "Retention deleted"},
		{"unreadable", LogEntry{Delivery: Delivery{Direction: DirectionInbound}}, "could not be read"},
		{"inline", LogEntry{Delivery: Delivery{Direction: DirectionInbound, Event: InboundEvent{Type: EventApplicationComplete}}}, "inline"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			why := redeliverProblem(c.e)
			if c.why == "" {
				assert.Empty(t, why)
			} else {
				assert.Contains(t, why, c.why)
			}
		})
	}
	failed := LogEntry{Delivery: Delivery{Direction: DirectionOutbound, Kind: string(StepScorecard), InvitationID: 4, Status: DeliveryFailed}}
	assert.Empty(t, retryProblem(failed))
	ok := failed
	ok.Status = DeliveryProcessed
	assert.Contains(t, retryProblem(ok), "succeeded")
	mail := failed
	mail.Kind = DeliveryKindEmail
	assert.True(t, strings.HasPrefix(retryProblem(mail), "Resend"))
	read := failed
	read.Kind = DeliveryKindRead
	assert.Contains(t, retryProblem(read), "Only writes")
}
