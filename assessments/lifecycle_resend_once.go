package assessments

import (
	"context"
	"strconv"
	"time"
)

// ResendToken is the one-time token of a resend form: the resend log as it
// stands when the form is shown. Once a resend is made the log moves on,
// so a second submit of the same form (a double click, a second tab) is
// recognised and sends nothing.
func (l *Lifecycle) ResendToken(ctx context.Context, tenantID, id int64) (string, error) {
	last, ok, err := l.Resends.LastResend(ctx, tenantID, id)
	if err != nil {
		return "", err
	}
	return resendToken(last, ok), nil
}

func resendToken(last time.Time, ok bool) string {
	if !ok {
		return "none"
	}
	return strconv.FormatInt(last.UnixNano(), 10)
}

// ResendOnce is Resend for a form that carries token (see ResendToken).
// When the form was already submitted, nothing is queued and sentAt is the
// time of the resend that submit made; otherwise sentAt is zero and the
// resend is queued. Two submits racing each other both pass the token
// check, and the store's one-statement ResendInterval check lets only one
// through: the other is answered as the double submit it is.
func (l *Lifecycle) ResendOnce(ctx context.Context, tenantID, id int64, by, token string) (inv Invitation, sentAt time.Time, err error) {
	last, ok, err := l.Resends.LastResend(ctx, tenantID, id)
	if err != nil {
		return Invitation{}, time.Time{}, err
	}
	if resendToken(last, ok) != token {
		inv, err := l.Invitations.Invitation(ctx, tenantID, id)
		return inv, last, err
	}
	inv, err = l.Resend(ctx, tenantID, id, by)
	if ErrorCode(err) == ETOOMANY {
		if again, ok, lerr := l.Resends.LastResend(ctx, tenantID, id); lerr == nil && ok && resendToken(again, ok) != token {
			return inv, again, nil
		}
	}
	return inv, time.Time{}, err
}
