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

// The --json answers of tenant inbound-credentials, one per mode. Scripts
// read these keys: never rename them.
type (
	basicCredentialJSON struct {
		Mode     string `json:"mode"`
		Username string `json:"username"`
		Password string `json:"password"`
	}
	hmacCredentialJSON struct {
		Mode string `json:"mode"`
		User string `json:"user"`
		Key  string `json:"key"`
	}
	oauthCredentialJSON struct {
		Mode         string `json:"mode"`
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
		TokenURL     string `json:"token_url"`
	}
)

func tenantInboundCredentials(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var c operatorConfig
	var customer, modeText, baseURL string
	var grace time.Duration
	f := newFlagSet("tenant inbound-credentials", `Usage: jobcannon tenant inbound-credentials --customer ID --mode basic|hmac|oauth [flags]

Issues new credentials that iCIMS uses to post events to JobCannon and
prints them. They are shown only this once: enter them in iCIMS right away.
The tenant's previous credentials of the same mode keep working for the
grace period, then stop.

  basic  a username and password for HTTP Basic
  hmac   a user and key for x-icims-v1-hmac-sha256 signatures
  oauth  a client id and secret for our token endpoint (BASE_URL/oauth/token)`, getenv, stdout)
	f.String(&customer, "customer", "", "", "the iCIMS customer id")
	f.String(&modeText, "mode", "", "", "basic, hmac or oauth")
	f.String(&baseURL, "base-url", "JOBCANNON_BASE_URL", "", "public URL of the service; oauth's token URL is built from it")
	f.Duration(&grace, "grace", "JOBCANNON_INBOUND_GRACE", assessments.DefaultInboundGrace, "how long the previous credentials of this mode keep working")
	c.register(f)
	if err := f.parse(args); err != nil {
		return err
	}
	if err := requireCustomer(&customer, "tenant inbound-credentials"); err != nil {
		return err
	}
	if modeText == "" {
		return fmt.Errorf("--mode is required: basic, hmac or oauth")
	}
	mode, err := assessments.ParseInboundMode(modeText)
	if err != nil {
		return fmt.Errorf("--mode %q: want basic, hmac or oauth", modeText)
	}
	if grace <= 0 {
		return fmt.Errorf("--grace must be positive; to stop the old credentials at once, revoke them on the admin page")
	}
	var tokenURL string
	if mode == assessments.InboundOAuth {
		// Checked before issuing: a credential printed with a wrong token
		// URL would have to be issued again.
		if baseURL == "" {
			return fmt.Errorf("--mode oauth needs the service's public URL for the token URL: give --base-url https://… or set JOBCANNON_BASE_URL")
		}
		if err := checkAbsoluteURL("base-url", baseURL); err != nil {
			return err
		}
		tokenURL = strings.TrimRight(baseURL, "/") + "/oauth/token"
	}
	return withOperator(ctx, c, grace, stderr, func(o *operator) error {
		t, err := o.tenant(ctx, customer)
		if err != nil {
			return err
		}
		cred, err := o.inbound.Issue(ctx, t.ID, mode)
		if err != nil {
			return err
		}
		if c.JSON {
			return printJSON(stdout, issuedJSON(cred, tokenURL))
		}
		printIssued(stdout, t, cred, tokenURL)
		return nil
	})
}

func issuedJSON(c assessments.IssuedCredential, tokenURL string) any {
	switch c.Mode {
	case assessments.InboundHMAC:
		return hmacCredentialJSON{Mode: string(c.Mode), User: c.Identifier, Key: c.Secret}
	case assessments.InboundOAuth:
		return oauthCredentialJSON{Mode: string(c.Mode), ClientID: c.Identifier, ClientSecret: c.Secret, TokenURL: tokenURL}
	}
	return basicCredentialJSON{Mode: string(c.Mode), Username: c.Identifier, Password: c.Secret}
}

func printIssued(w io.Writer, t assessments.Tenant, c assessments.IssuedCredential, tokenURL string) {
	fmt.Fprintf(w, "New %s credentials for iCIMS customer %s%s.\n", c.Mode.Label(), t.CustomerID, nameSuffix(t.Name))
	fmt.Fprintln(w, "They are shown only this once: enter them in iCIMS now.")
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	switch c.Mode {
	case assessments.InboundBasic:
		fmt.Fprintf(tw, "  username\t%s\n  password\t%s\n", c.Identifier, c.Secret)
	case assessments.InboundHMAC:
		fmt.Fprintf(tw, "  user\t%s\n  key\t%s\n", c.Identifier, c.Secret)
	case assessments.InboundOAuth:
		fmt.Fprintf(tw, "  client id\t%s\n  client secret\t%s\n  token URL\t%s\n", c.Identifier, c.Secret, tokenURL)
	}
	_ = tw.Flush()
	fmt.Fprintln(w)
	if c.GraceUntil.IsZero() {
		fmt.Fprintf(w, "This customer had no %s credentials before.\n", c.Mode.Label())
	} else {
		fmt.Fprintf(w, "The previous %s credentials keep working until %s.\n", c.Mode.Label(), humanTime(c.GraceUntil))
	}
}
