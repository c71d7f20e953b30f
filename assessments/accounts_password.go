package assessments

import (
	"context"
	"time"
)

// PasswordResetTTL is how long a password reset link works: long enough to
// find the e-mail, short enough that an old inbox is not a way in.
const PasswordResetTTL = time.Hour

// ChangePassword replaces a signed-in admin's password after checking the
// current one. It returns a message per form field that is wrong
// ("current", "password"), or the admin's new session epoch: every other
// session of theirs ends.
func (a *Accounts) ChangePassword(ctx context.Context, admin Admin, current, next string) (int64, map[string]string, error) {
	errs := map[string]string{}
	if err := checkPasswordRules(next); err != nil {
		errs["password"] = ErrorMessage(err)
	} else if next == current {
		errs["password"] = "Choose a password other than your current one."
	}
	ok, err := a.passwordMatches(ctx, admin, current)
	if err != nil {
		return 0, nil, err
	}
	if !ok {
		errs["current"] = "That is not your current password."
	}
	if len(errs) > 0 {
		return 0, errs, nil
	}
	hash, err := HashPassword(next, a.Cost)
	if err != nil {
		return 0, nil, err
	}
	epoch, err := a.Admins.SetPassword(ctx, admin.TenantID, admin.ID, hash)
	return epoch, nil, err
}

func (a *Accounts) passwordMatches(ctx context.Context, admin Admin, pw string) (bool, error) {
	admins, hashes, err := a.Admins.LoginCandidates(ctx, admin.Email)
	if err != nil {
		return false, err
	}
	for i, c := range admins {
		if c.ID == admin.ID {
			return CheckPassword(hashes[i], pw), nil
		}
	}
	return false, nil
}

// RequestPasswordReset makes a reset link's token for an e-mail that some
// admin signs in with. For any other address it returns "" and no error:
// the caller answers the same either way, so that the form does not tell
// which addresses have accounts.
func (a *Accounts) RequestPasswordReset(ctx context.Context, email string) (string, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return "", err
	}
	admins, _, err := a.Admins.LoginCandidates(ctx, email)
	if err != nil || len(admins) == 0 {
		return "", err
	}
	token, err := NewToken(a.Random)
	if err != nil {
		return "", err
	}
	if err := a.Admins.CreatePasswordReset(ctx, email, HashToken(token), a.Clock.Now().Add(PasswordResetTTL)); err != nil {
		return "", err
	}
	return token, nil
}

// PendingPasswordReset returns the e-mail of a reset link that can still
// be used.
func (a *Accounts) PendingPasswordReset(ctx context.Context, token string) (string, error) {
	return a.Admins.PasswordResetEmail(ctx, HashToken(token), a.Clock.Now())
}

// ResetPassword uses a reset link: every admin account of its e-mail gets
// the new password, and all their sessions end.
func (a *Accounts) ResetPassword(ctx context.Context, token, password string) ([]Admin, error) {
	hash, err := HashPassword(password, a.Cost)
	if err != nil {
		return nil, err
	}
	return a.Admins.UsePasswordReset(ctx, HashToken(token), hash, a.Clock.Now())
}

// RemoveAdmin removes another admin of the tenant. An admin cannot remove
// themself (another admin must), and the tenant's last admin stays.
func (a *Accounts) RemoveAdmin(ctx context.Context, tenantID int64, by Admin, adminID int64) error {
	if err := CheckRemoval(by, adminID); err != nil {
		return err
	}
	return a.Admins.RemoveAdmin(ctx, tenantID, adminID)
}

// CheckRemoval says why an admin may not remove another before they ask:
// nobody removes themself.
func CheckRemoval(by Admin, adminID int64) error {
	if by.ID == adminID {
		return Errorf(EINVALID, "You cannot remove yourself: ask another admin to do it.")
	}
	return nil
}
