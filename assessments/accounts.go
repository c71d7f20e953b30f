package assessments

import (
	"context"
	"io"
	"strings"
	"sync"
	"time"
)

// InviteTTL is how long an admin invitation link works.
const InviteTTL = 7 * 24 * time.Hour

// Accounts signs admins in and creates their accounts.
type Accounts struct {
	Admins AdminStore
	Clock  Clock
	Random io.Reader
	// Cost is bcrypt's work factor; 0 means DefaultPasswordCost.
	Cost int
	// dummyHash is compared against when no admin has the e-mail, so a
	// wrong address takes as long as a wrong password. It is made on first
	// use: a bcrypt hash costs a quarter second that start-up should not.
	dummyOnce sync.Once
	dummyHash string
}

// NewAccounts returns Accounts.
func NewAccounts(admins AdminStore, clock Clock, random io.Reader, cost int) *Accounts {
	return &Accounts{Admins: admins, Clock: clock, Random: random, Cost: cost}
}

func (a *Accounts) dummy() string {
	a.dummyOnce.Do(func() {
		// The rules hold for this constant; an error here cannot happen.
		a.dummyHash, _ = HashPassword("not-a-real-password-0", a.Cost)
	})
	return a.dummyHash
}

// Login returns the admin with this e-mail and password. Every failure is
// the same EUNAUTHORIZED, so it does not reveal which addresses exist.
func (a *Accounts) Login(ctx context.Context, email, password string) (Admin, error) {
	fail := Errorf(EUNAUTHORIZED, "That e-mail and password do not match an admin account.")
	admins, hashes, err := a.Admins.LoginCandidates(ctx, strings.ToLower(strings.TrimSpace(email)))
	if err != nil {
		return Admin{}, err
	}
	if len(admins) == 0 {
		CheckPassword(a.dummy(), password)
		return Admin{}, fail
	}
	for i, adm := range admins {
		if CheckPassword(hashes[i], password) {
			if err := a.Admins.RecordLogin(ctx, adm.ID, a.Clock.Now()); err != nil {
				return Admin{}, err
			}
			return adm, nil
		}
	}
	return Admin{}, fail
}

// AccountInput is what the account form sends.
type AccountInput struct {
	Email    string
	Name     string
	Password string
}

// Validate returns a message per field that is wrong.
func (in AccountInput) Validate() map[string]string {
	errs := map[string]string{}
	if _, err := NormalizeEmail(in.Email); err != nil {
		errs["email"] = ErrorMessage(err)
	}
	if len(strings.TrimSpace(in.Name)) > 200 {
		errs["name"] = "Use at most 200 characters."
	}
	if err := checkPasswordRules(in.Password); err != nil {
		errs["password"] = ErrorMessage(err)
	}
	return errs
}

// CreateAdmin creates an admin account with a password.
func (a *Accounts) CreateAdmin(ctx context.Context, tenantID int64, in AccountInput) (Admin, error) {
	hash, err := HashPassword(in.Password, a.Cost)
	if err != nil {
		return Admin{}, err
	}
	return a.Admins.CreateAdmin(ctx, tenantID, in.Email, in.Name, hash)
}

// Invite creates an invitation and returns the token for its link.
func (a *Accounts) Invite(ctx context.Context, tenantID, invitedBy int64, email string) (AdminInvite, string, error) {
	token, err := NewToken(a.Random)
	if err != nil {
		return AdminInvite{}, "", err
	}
	inv, err := a.Admins.CreateInvite(ctx, tenantID, email, invitedBy, HashToken(token), a.Clock.Now().Add(InviteTTL))
	return inv, token, err
}

// PendingInvite returns the invitation behind a link, if it can still be
// used.
func (a *Accounts) PendingInvite(ctx context.Context, token string) (AdminInvite, error) {
	inv, err := a.Admins.InviteByToken(ctx, HashToken(token))
	if err != nil {
		return inv, err
	}
	if !inv.UsedAt.IsZero() || !inv.ExpiresAt.After(a.Clock.Now()) {
		return inv, Errorf(ENOTFOUND, "This invitation link has expired or was already used. Ask an admin to invite you again.")
	}
	return inv, nil
}

// AcceptInvite uses an invitation to create the invited admin.
func (a *Accounts) AcceptInvite(ctx context.Context, token string, in AccountInput) (Admin, error) {
	hash, err := HashPassword(in.Password, a.Cost)
	if err != nil {
		return Admin{}, err
	}
	inv, err := a.Admins.UseInvite(ctx, HashToken(token), a.Clock.Now())
	if err != nil {
		return Admin{}, err
	}
	return a.Admins.CreateAdmin(ctx, inv.TenantID, inv.Email, in.Name, hash)
}
