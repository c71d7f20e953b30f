package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/jobcannon/jobcannon/assessments"
)

// tenantJSON is a tenant in --json output. Field names are a contract with
// operators' scripts: add fields, never rename or remove them.
type tenantJSON struct {
	ID            int64      `json:"id"`
	CustomerID    string     `json:"customer_id"`
	Name          string     `json:"name"`
	Region        string     `json:"region"`
	APIURL        string     `json:"api_url"`
	Auth          string     `json:"auth"`
	Status        string     `json:"status"`
	StatusReason  string     `json:"status_reason"`
	Scopes        []string   `json:"scopes"`
	MissingScopes []string   `json:"missing_scopes"`
	InstalledAt   *time.Time `json:"installed_at"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
}

// tenantDetailJSON is what show and remove print.
type tenantDetailJSON struct {
	tenantJSON
	Admins             []adminJSON             `json:"admins"`
	InboundCredentials []inboundCredentialJSON `json:"inbound_credentials"`
}

type adminJSON struct {
	ID          int64      `json:"id"`
	CustomerID  string     `json:"customer_id"`
	Email       string     `json:"email"`
	Name        string     `json:"name"`
	HasPassword bool       `json:"has_password"`
	CreatedAt   time.Time  `json:"created_at"`
	LastLoginAt *time.Time `json:"last_login_at"`
}

type inboundCredentialJSON struct {
	Mode       string     `json:"mode"`
	Identifier string     `json:"identifier"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	Live       bool       `json:"live"`
}

// authName is the mode as the CLI spells it, so output can be fed back in.
func authName(m assessments.AuthMode) string { return strings.ReplaceAll(string(m), "_", "-") }

func optionalTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func newTenantJSON(t assessments.Tenant) tenantJSON {
	return tenantJSON{
		ID: t.ID, CustomerID: t.CustomerID, Name: t.Name, Region: string(t.Region), APIURL: t.APIURL,
		Auth: authName(t.AuthMode), Status: string(t.Status), StatusReason: t.StatusReason,
		Scopes: nonNil(t.Scopes), MissingScopes: nonNil(t.MissingScopes()),
		InstalledAt: optionalTime(t.InstalledAt), CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt,
	}
}

func newAdminJSON(a assessments.Admin, customerID string) adminJSON {
	return adminJSON{ID: a.ID, CustomerID: customerID, Email: a.Email, Name: a.Name, HasPassword: a.HasPassword,
		CreatedAt: a.CreatedAt, LastLoginAt: optionalTime(a.LastLoginAt)}
}

// nonNil makes an empty list print as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (o *operator) detail(ctx context.Context, t assessments.Tenant) (tenantDetailJSON, error) {
	d := tenantDetailJSON{tenantJSON: newTenantJSON(t), Admins: []adminJSON{}, InboundCredentials: []inboundCredentialJSON{}}
	admins, err := o.admins.Admins(ctx, t.ID)
	if err != nil {
		return d, err
	}
	for _, a := range admins {
		d.Admins = append(d.Admins, newAdminJSON(a, t.CustomerID))
	}
	creds, err := o.inbound.List(ctx, t.ID)
	if err != nil {
		return d, err
	}
	now := o.clock.Now()
	for _, c := range creds {
		d.InboundCredentials = append(d.InboundCredentials, inboundCredentialJSON{Mode: string(c.Mode),
			Identifier: c.Identifier, CreatedAt: c.CreatedAt, ExpiresAt: optionalTime(c.ExpiresAt), Live: c.Live(now)})
	}
	return d, nil
}

func tenantList(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var c operatorConfig
	f := newFlagSet("tenant list", "Usage: jobcannon tenant list [flags]\n\nLists every tenant.", getenv, stdout)
	c.register(f)
	if err := f.parse(args); err != nil {
		return err
	}
	return withOperator(ctx, c, 0, stderr, func(o *operator) error {
		tenants, err := o.tenants.Tenants(ctx)
		if err != nil {
			return err
		}
		if c.JSON {
			out := []tenantJSON{}
			for _, t := range tenants {
				out = append(out, newTenantJSON(t))
			}
			return printJSON(stdout, out)
		}
		if len(tenants) == 0 {
			fmt.Fprintln(stdout, "No tenants yet. Install from the iCIMS Marketplace, or add one with: jobcannon tenant add --help")
			return nil
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "CUSTOMER\tNAME\tREGION\tAUTH\tSTATUS")
		for _, t := range tenants {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", t.CustomerID, orDash(t.Name), t.Region, orDash(authName(t.AuthMode)), t.Status)
		}
		return tw.Flush()
	})
}

func tenantShow(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var c operatorConfig
	var customer string
	f := newFlagSet("tenant show", "Usage: jobcannon tenant show --customer ID [flags]\n\nShows a tenant, its admins and its inbound credentials (never their secrets).", getenv, stdout)
	f.String(&customer, "customer", "", "", "the iCIMS customer id")
	c.register(f)
	if err := f.parse(args); err != nil {
		return err
	}
	if err := requireCustomer(&customer, "tenant show"); err != nil {
		return err
	}
	return withOperator(ctx, c, 0, stderr, func(o *operator) error {
		t, err := o.tenant(ctx, customer)
		if err != nil {
			return err
		}
		d, err := o.detail(ctx, t)
		if err != nil {
			return err
		}
		if c.JSON {
			return printJSON(stdout, d)
		}
		printDetail(stdout, d)
		return nil
	})
}

func tenantRemove(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var c operatorConfig
	var customer string
	f := newFlagSet("tenant remove", `Usage: jobcannon tenant remove --customer ID [flags]

Deletes a tenant and everything that belongs to it: admins, credentials,
rules, invitations, results and logs. It asks nothing, and cannot be undone.
It prints what it removed. To stop a tenant but keep its history, uninstall
it from the admin page instead.`, getenv, stdout)
	f.String(&customer, "customer", "", "", "the iCIMS customer id")
	c.register(f)
	if err := f.parse(args); err != nil {
		return err
	}
	if err := requireCustomer(&customer, "tenant remove"); err != nil {
		return err
	}
	return withOperator(ctx, c, 0, stderr, func(o *operator) error {
		t, err := o.tenant(ctx, customer)
		if err != nil {
			return err
		}
		d, err := o.detail(ctx, t)
		if err != nil {
			return err
		}
		if err := o.tenants.Remove(ctx, t.ID); err != nil {
			return fmt.Errorf("remove tenant %s: %w", customer, err)
		}
		if c.JSON {
			return printJSON(stdout, d)
		}
		fmt.Fprintf(stdout, "Removed tenant %s%s with %s and %s, and all its data.\n", t.CustomerID, nameSuffix(t.Name),
			plural(len(d.Admins), "admin"), plural(len(d.InboundCredentials), "inbound credential"))
		return nil
	})
}

func printDetail(w io.Writer, d tenantDetailJSON) {
	fmt.Fprintf(w, "Tenant %s%s\n", d.CustomerID, nameSuffix(d.Name))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "  region\t%s\n", d.Region)
	if d.APIURL != "" {
		fmt.Fprintf(tw, "  iCIMS API\t%s\n", d.APIURL)
	}
	fmt.Fprintf(tw, "  auth\t%s\n", assessments.AuthMode(strings.ReplaceAll(d.Auth, "-", "_")).Label())
	status := d.Status
	if d.StatusReason != "" {
		status += ": " + d.StatusReason
	}
	fmt.Fprintf(tw, "  status\t%s\n", status)
	if len(d.MissingScopes) > 0 {
		fmt.Fprintf(tw, "  missing scopes\t%s\n", strings.Join(d.MissingScopes, " "))
	}
	if d.InstalledAt != nil {
		fmt.Fprintf(tw, "  installed\t%s\n", humanTime(*d.InstalledAt))
	}
	_ = tw.Flush()

	fmt.Fprintf(w, "Admins: %d\n", len(d.Admins))
	for _, a := range d.Admins {
		state := "no password yet"
		if a.LastLoginAt != nil {
			state = "last signed in " + humanTime(*a.LastLoginAt)
		} else if a.HasPassword {
			state = "never signed in"
		}
		fmt.Fprintf(w, "  %s (%s)\n", a.Email, state)
	}
	fmt.Fprintf(w, "Inbound credentials (how iCIMS calls us): %d\n", len(d.InboundCredentials))
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, c := range d.InboundCredentials {
		state := "live"
		switch {
		case !c.Live:
			state = "expired " + humanTime(*c.ExpiresAt)
		case c.ExpiresAt != nil:
			state = "expires " + humanTime(*c.ExpiresAt)
		}
		fmt.Fprintf(tw, "  %s\t%s\tcreated %s\t%s\n", c.Mode, c.Identifier, humanTime(c.CreatedAt), state)
	}
	_ = tw.Flush()
}

func humanTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

func nameSuffix(name string) string {
	if name == "" {
		return ""
	}
	return " (" + name + ")"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
