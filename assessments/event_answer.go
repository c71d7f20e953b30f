package assessments

import (
	"encoding/json"
	"fmt"
)

// answerError is iCIMS's vendor error body (contract §5).
type answerError struct {
	Error struct {
		UserMessage       string `json:"userMessage"`
		DebugErrorMessage string `json:"debugErrorMessage"`
	} `json:"error"`
}

// answerOK is the body of a 200: iCIMS ignores it; people reading the
// logs do not.
type answerOK struct {
	Message string `json:"message"`
	Debug   string `json:"debug,omitempty"`
}

// JSON is the body of the answer: iCIMS's error shape for 4xx and 5xx, a
// short message for 200, nothing for a redirect. The same answer always
// gives the same bytes, so a redelivery is answered exactly as the first.
func (a EventAnswer) JSON() []byte {
	var v any
	switch {
	case a.Status == AnswerSeeOther:
		return nil
	case a.Status >= 400:
		var e answerError
		e.Error.UserMessage, e.Error.DebugErrorMessage = a.UserMessage, a.Debug
		v = e
	default:
		v = answerOK{Message: a.UserMessage, Debug: a.Debug}
	}
	b, err := json.Marshal(v)
	if err != nil {
		// Two strings always encode; this cannot happen.
		panic(err)
	}
	return b
}

// ParseEventAnswer rebuilds an answer from its status and the body JSON gave.
func ParseEventAnswer(status int, body []byte) (EventAnswer, error) {
	a := EventAnswer{Status: status}
	switch {
	case len(body) == 0:
		return a, nil
	case status >= 400:
		var e answerError
		if err := json.Unmarshal(body, &e); err != nil {
			return a, fmt.Errorf("answer body: %w", err)
		}
		a.UserMessage, a.Debug = e.Error.UserMessage, e.Error.DebugErrorMessage
	default:
		var ok answerOK
		if err := json.Unmarshal(body, &ok); err != nil {
			return a, fmt.Errorf("answer body: %w", err)
		}
		a.UserMessage, a.Debug = ok.Message, ok.Debug
	}
	return a, nil
}
