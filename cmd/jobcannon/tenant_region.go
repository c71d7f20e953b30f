package main

import (
	"context"
	"fmt"
	"io"

	"github.com/jobcannon/jobcannon/assessments"
)

// tenantRegion is "jobcannon tenant region": the one way to change a
// tenant's iCIMS region, since installs and saved connections refuse to.
func tenantRegion(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var c operatorConfig
	var customer, region string
	var confirm bool
	f := newFlagSet("tenant region", `Usage: jobcannon tenant region --customer ID --region us|eu --confirm [flags]

Moves a tenant to another iCIMS region: its calls go to that region's hosts
from now on. Re-installs and saved connections never change a region, so a
customer's data is not moved between regions by accident; run this only
when the customer's iCIMS has really moved, and after moving its data.`, getenv, stdout)
	f.String(&customer, "customer", "", "", "the iCIMS customer id")
	f.String(&region, "region", "", "", "us or eu")
	f.Bool(&confirm, "confirm", "", false, "confirm that the customer's data may be served from the new region")
	c.register(f)
	if err := f.parse(args); err != nil {
		return err
	}
	if err := requireCustomer(&customer, "tenant region"); err != nil {
		return err
	}
	r, err := assessments.ParseRegion(region)
	if err != nil || region == "" {
		return fmt.Errorf("--region must be us or eu")
	}
	if !confirm {
		return fmt.Errorf("changing a tenant's region moves where its data is served from: add --confirm")
	}
	return withOperator(ctx, c, 0, stderr, func(o *operator) error {
		t, err := o.tenant(ctx, customer)
		if err != nil {
			return err
		}
		if t.Region == r {
			fmt.Fprintf(stdout, "Tenant %s is already in %s.\n", customer, r.Label())
			return nil
		}
		if err := o.tenants.SetRegion(ctx, t.ID, r); err != nil {
			return fmt.Errorf("tenant region %s: %w", customer, err)
		}
		fmt.Fprintf(stdout, "Tenant %s moved from %s to %s.\n", customer, t.Region.Label(), r.Label())
		return nil
	})
}
