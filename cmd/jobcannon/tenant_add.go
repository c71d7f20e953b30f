package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/jobcannon/jobcannon/assessments"
)

type tenantAddFlags struct {
	customer, name, region, apiURL, auth string
	username, password                   string
	hmacUser, hmacKey                    string
	clientID, clientSecret, tokenURL     string
}

// modeFlags lists the flags that belong to a mode; giving one of them with
// another mode is a mistake worth refusing.
func modeFlags(m assessments.AuthMode) []string {
	switch m {
	case assessments.AuthBasic:
		return []string{"username", "password"}
	case assessments.AuthHMAC:
		return []string{"hmac-user", "hmac-key"}
	case assessments.AuthClientCredentials:
		return []string{"client-id", "client-secret", "token-url"}
	}
	return nil
}

func tenantAdd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var c operatorConfig
	var a tenantAddFlags
	f := newFlagSet("tenant add", `Usage: jobcannon tenant add --customer ID (--region us|eu | --api-url URL)
         --auth basic|hmac|client-credentials
         [--username U --password P] [--hmac-user U --hmac-key K]
         [--client-id I --client-secret S --token-url URL] [flags]

Connects an iCIMS customer with credentials iCIMS issued to it, for calls
from JobCannon to iCIMS. Adding a customer that exists updates its
connection and keeps everything else. Marketplace (OAuth) installs connect
themselves; they need no command.`, getenv, stdout)
	f.String(&a.customer, "customer", "", "", "the iCIMS customer id (digits)")
	f.String(&a.name, "name", "", "", "the customer's name, for people (optional)")
	f.String(&a.region, "region", "", "", "us or eu: picks iCIMS's hosts")
	f.String(&a.apiURL, "api-url", "", "", "an explicit iCIMS API base, instead of the region's (a sandbox, a proxy)")
	f.String(&a.auth, "auth", "", "", "basic, hmac or client-credentials")
	f.String(&a.username, "username", "", "", "Basic: the integration user's name")
	f.String(&a.password, "password", "", "", "Basic: the integration user's password")
	f.String(&a.hmacUser, "hmac-user", "", "", "HMAC: the user iCIMS issued")
	f.String(&a.hmacKey, "hmac-key", "", "", "HMAC: the key iCIMS issued")
	f.String(&a.clientID, "client-id", "", "", "client-credentials: the client id iCIMS issued")
	f.String(&a.clientSecret, "client-secret", "", "", "client-credentials: the client secret iCIMS issued")
	f.String(&a.tokenURL, "token-url", "", "", "client-credentials: iCIMS's token endpoint (default: login.icims.com or login.icims.eu by region)")
	c.register(f)
	if err := f.parse(args); err != nil {
		return err
	}
	conn, err := a.connection(f)
	if err != nil {
		return err
	}
	return withOperator(ctx, c, 0, stderr, func(o *operator) error {
		_, err := o.tenants.TenantByCustomer(ctx, conn.CustomerID)
		existed := err == nil
		if err != nil && assessments.ErrorCode(err) != assessments.ENOTFOUND {
			return err
		}
		t, err := o.tenants.Connect(ctx, conn)
		if err != nil {
			return err
		}
		if c.JSON {
			return printJSON(stdout, newTenantJSON(t))
		}
		verb := "Added"
		if existed {
			verb = "Updated"
		}
		where := "region " + string(t.Region)
		if t.APIURL != "" {
			where = t.APIURL
		}
		fmt.Fprintf(stdout, "%s tenant %s%s: %s, %s.\n", verb, t.CustomerID, nameSuffix(t.Name), t.AuthMode.Label(), where)
		fmt.Fprintf(stdout, "Next: give iCIMS credentials to call us with: jobcannon tenant inbound-credentials --customer %s --mode basic|hmac|oauth\n", t.CustomerID)
		return nil
	})
}

// connection checks the flags and turns them into a Connection.
func (a tenantAddFlags) connection(f *flagSet) (assessments.Connection, error) {
	if err := requireCustomer(&a.customer, "tenant add"); err != nil {
		return assessments.Connection{}, err
	}
	if a.region == "" && a.apiURL == "" {
		return assessments.Connection{}, fmt.Errorf("give --region us|eu, or --api-url URL for a non-standard iCIMS")
	}
	region, err := assessments.ParseRegion(a.region)
	if err != nil {
		return assessments.Connection{}, fmt.Errorf("--region %q: want us or eu", a.region)
	}
	if a.auth == "" {
		return assessments.Connection{}, fmt.Errorf("--auth is required: basic, hmac or client-credentials")
	}
	mode, err := assessments.ParseAuthMode(a.auth)
	if err != nil || mode == assessments.AuthOAuth {
		return assessments.Connection{}, fmt.Errorf("--auth %q: want basic, hmac or client-credentials (Marketplace installs connect themselves)", a.auth)
	}
	for _, other := range []assessments.AuthMode{assessments.AuthBasic, assessments.AuthHMAC, assessments.AuthClientCredentials} {
		if other == mode {
			continue
		}
		for _, name := range modeFlags(other) {
			if f.isSet(name) {
				return assessments.Connection{}, fmt.Errorf("--%s is only for --auth %s", name, authName(other))
			}
		}
	}
	for _, u := range []struct{ name, value string }{{"api-url", a.apiURL}, {"token-url", a.tokenURL}} {
		if err := checkAbsoluteURL(u.name, u.value); err != nil {
			return assessments.Connection{}, err
		}
	}
	conn := assessments.Connection{
		CustomerID: a.customer, Name: strings.TrimSpace(a.name), Region: region,
		APIURL: strings.TrimRight(a.apiURL, "/"), AuthMode: mode,
		Credentials: assessments.Credentials{
			Username: a.username, Password: a.password, HMACUser: a.hmacUser, HMACKey: a.hmacKey,
			ClientID: a.clientID, ClientSecret: a.clientSecret, TokenURL: a.tokenURL,
		},
	}
	if err := conn.Validate(); err != nil {
		return conn, fmt.Errorf("%s (see: jobcannon tenant add --help)", assessments.ErrorMessage(err))
	}
	return conn, nil
}

// checkAbsoluteURL refuses a URL flag that is set but not absolute http(s).
func checkAbsoluteURL(name, value string) error {
	if value == "" {
		return nil
	}
	if u, err := url.Parse(value); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("--%s %q: want an absolute http(s) URL", name, value)
	}
	return nil
}
