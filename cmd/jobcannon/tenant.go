package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/jobcannon/jobcannon/app"
	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/storage"
)

const tenantUsage = `Usage: jobcannon tenant COMMAND [flags]

Manages tenants (iCIMS customers) in the same database as a running service.

Commands:
  add                  connect a customer with credentials iCIMS issued (basic, hmac or client-credentials)
  list                 list every tenant
  show                 show one tenant, its admins and its inbound credentials
  remove               delete a tenant and everything that belongs to it
  region               move a tenant to another iCIMS region (the only way to change it)
  inbound-credentials  issue new credentials iCIMS uses to post events to us (shown once)

Run "jobcannon tenant COMMAND --help" for a command's flags.`

// tenantCommand dispatches "jobcannon tenant …".
func tenantCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("tenant: which command?\n\n%s", tenantUsage)
	}
	cmd, args := args[0], args[1:]
	switch cmd {
	case "add":
		return tenantAdd(ctx, args, getenv, stdout, stderr)
	case "list":
		return tenantList(ctx, args, getenv, stdout, stderr)
	case "show":
		return tenantShow(ctx, args, getenv, stdout, stderr)
	case "remove":
		return tenantRemove(ctx, args, getenv, stdout, stderr)
	case "inbound-credentials":
		return tenantInboundCredentials(ctx, args, getenv, stdout, stderr)
	case "region":
		return tenantRegion(ctx, args, getenv, stdout, stderr)
	case "-h", "--help", "-help", "help":
		fmt.Fprintln(stdout, tenantUsage)
		return flag.ErrHelp
	}
	return fmt.Errorf("tenant: unknown command %q\n\n%s", cmd, tenantUsage)
}

// operatorConfig is what every operator command takes: where the data is,
// the key that opens it, and whether to answer in JSON.
type operatorConfig struct {
	app.Storage
	SecretKey string
	JSON      bool
}

func (c *operatorConfig) register(f *flagSet) {
	registerStorage(f, &c.Storage)
	f.String(&c.SecretKey, "secret-key", "JOBCANNON_SECRET_KEY", "", "the service's secret keys, as given to serve (default: the key file in the data directory)")
	f.Bool(&c.JSON, "json", "", false, "print JSON instead of text")
}

// operator is the storage an operator command works on. SQLite in WAL mode
// lets it share the database file with a running service.
type operator struct {
	db      *storage.DB
	tenants *storage.TenantStore
	admins  *storage.AdminStore
	inbound *storage.InboundStore
	clock   assessments.Clock
}

// openOperator opens the database and the keyring the way serve does.
// grace is the inbound credentials' rotation grace; zero means the default.
func openOperator(ctx context.Context, c operatorConfig, grace time.Duration, stderr io.Writer) (*operator, error) {
	log, err := c.Logger(stderr)
	if err != nil {
		return nil, err
	}
	keys, err := app.LoadKeys(c.SecretKey, c.DataDir, log)
	if err != nil {
		return nil, err
	}
	db, err := app.OpenDB(ctx, c.Storage, log)
	if err != nil {
		return nil, err
	}
	if _, err := app.CheckSecretKey(ctx, c.SecretKey, c.DataDir, db, keys); err != nil {
		return nil, errors.Join(err, db.Close())
	}
	clock := assessments.SystemClock{}
	return &operator{
		db:      db,
		tenants: storage.NewTenantStore(db, keys, clock),
		admins:  storage.NewAdminStore(db, clock),
		inbound: storage.NewInboundStore(db, keys, clock, rand.Reader, grace),
		clock:   clock,
	}, nil
}

func (o *operator) close() error { return o.db.Close() }

// withOperator runs fn with an open operator and closes it after.
func withOperator(ctx context.Context, c operatorConfig, grace time.Duration, stderr io.Writer, fn func(*operator) error) (err error) {
	o, err := openOperator(ctx, c, grace, stderr)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, o.close()) }()
	return fn(o)
}

// tenant finds a tenant by customer id, or says how to add it.
func (o *operator) tenant(ctx context.Context, customerID string) (assessments.Tenant, error) {
	t, err := o.tenants.TenantByCustomer(ctx, customerID)
	if assessments.ErrorCode(err) == assessments.ENOTFOUND {
		return t, fmt.Errorf("no tenant with customer id %s; add it with: jobcannon tenant add --customer %s --region us|eu --auth basic|hmac|client-credentials …", customerID, customerID)
	}
	return t, err
}

// requireCustomer checks the --customer flag of a command and rewrites it
// in its canonical spelling ("01234" is customer 1234).
func requireCustomer(customerID *string, command string) error {
	if *customerID == "" {
		return fmt.Errorf("--customer is required (see: jobcannon %s --help)", command)
	}
	id, err := icims.CanonicalID(*customerID)
	if err != nil || !assessments.ValidCustomerID(id) {
		return fmt.Errorf("--customer %q: an iCIMS customer id is digits, such as 1234", *customerID)
	}
	*customerID = id
	return nil
}

// printJSON writes v indented, the one JSON format of operator commands.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// cliMessage turns a domain error into the sentence an operator reads;
// other errors keep their detail, which is for the operator too.
func cliMessage(err error) error {
	var de *assessments.Error
	if errors.As(err, &de) {
		return errors.New(de.Message)
	}
	return err
}
