package assessments

import (
	"context"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// Admin is a person who configures JobCannon for one tenant.
type Admin struct {
	ID          int64
	TenantID    int64
	Email       string
	Name        string
	HasPassword bool
	CreatedAt   time.Time
	LastLoginAt time.Time
	// SessionEpoch moves on when the password changes; a session signed in
	// under an older epoch is no longer valid.
	SessionEpoch int64
}

// AdminInvite lets a person become an admin of a tenant by following a
// link; only the token's hash is stored.
type AdminInvite struct {
	ID        int64
	TenantID  int64
	Email     string
	ExpiresAt time.Time
	UsedAt    time.Time
}

// AdminStore keeps admins and their invitations.
type AdminStore interface {
	// CreateAdmin adds an admin; an e-mail already used in the tenant is
	// ECONFLICT.
	CreateAdmin(ctx context.Context, tenantID int64, email, name, passwordHash string) (Admin, error)
	Admin(ctx context.Context, tenantID, adminID int64) (Admin, error)
	Admins(ctx context.Context, tenantID int64) ([]Admin, error)
	// LoginCandidates returns the admins with this e-mail and their
	// password hashes, across tenants.
	LoginCandidates(ctx context.Context, email string) ([]Admin, []string, error)
	// SetPassword replaces the password and moves the admin's session
	// epoch on, returning the new epoch.
	SetPassword(ctx context.Context, tenantID, adminID int64, passwordHash string) (int64, error)
	// RemoveAdmin deletes an admin of the tenant unless they are its last
	// one (ECONFLICT).
	RemoveAdmin(ctx context.Context, tenantID, adminID int64) error
	// CreatePasswordReset keeps a reset link's token hash for an e-mail.
	CreatePasswordReset(ctx context.Context, email, tokenHash string, expires time.Time) error
	// PasswordResetEmail is the e-mail of an unused, unexpired reset link
	// (ENOTFOUND otherwise).
	PasswordResetEmail(ctx context.Context, tokenHash string, now time.Time) (string, error)
	// UsePasswordReset, in one transaction, marks an unused, unexpired link
	// used and sets the password (and moves the session epoch on) of every
	// admin who signs in with its e-mail. It returns those admins.
	UsePasswordReset(ctx context.Context, tokenHash, passwordHash string, now time.Time) ([]Admin, error)
	RecordLogin(ctx context.Context, adminID int64, at time.Time) error
	CreateInvite(ctx context.Context, tenantID int64, email string, invitedBy int64, tokenHash string, expires time.Time) (AdminInvite, error)
	// UseInvite marks an unused, unexpired invite used and returns it.
	UseInvite(ctx context.Context, tokenHash string, now time.Time) (AdminInvite, error)
	InviteByToken(ctx context.Context, tokenHash string) (AdminInvite, error)
}

// NormalizeEmail trims and lower-cases an address and checks its shape.
func NormalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.IndexByte(s, '@')+1:], ".") {
		return "", Errorf(EINVALID, "Enter an e-mail address such as name@company.com.")
	}
	return s, nil
}

// Password rules. bcrypt reads at most 72 bytes, so longer passwords are
// refused rather than silently cut.
const (
	MinPasswordLength = 10
	maxPasswordBytes  = 72
)

// DefaultPasswordCost is bcrypt's work factor for admin passwords: about a
// quarter of a second per hash on this project's machines.
const DefaultPasswordCost = 12

// HashPassword checks a new password against the rules and hashes it with
// bcrypt at the given cost (0 means DefaultPasswordCost; tests pass
// bcrypt.MinCost to stay fast).
func HashPassword(pw string, cost int) (string, error) {
	if err := checkPasswordRules(pw); err != nil {
		return "", err
	}
	if cost == 0 {
		cost = DefaultPasswordCost
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), cost)
	if err != nil {
		return "", err
	}
	return string(h), nil
}

func checkPasswordRules(pw string) error {
	if utf8.RuneCountInString(pw) < MinPasswordLength {
		return Errorf(EINVALID, "Use at least %d characters for the password.", MinPasswordLength)
	}
	if len(pw) > maxPasswordBytes {
		return Errorf(EINVALID, "Use at most %d bytes for the password.", maxPasswordBytes)
	}
	return nil
}

// CheckPassword reports whether pw matches hash. An empty hash (an admin
// who has not set a password yet) never matches.
func CheckPassword(hash, pw string) bool {
	if hash == "" {
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}
