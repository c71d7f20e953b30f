package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/jobcannon/jobcannon/assessments"
)

const adminUsage = `Usage: jobcannon admin COMMAND [flags]

Manages the people who configure JobCannon for a tenant.

Commands:
  create  create an admin account with a password

Run "jobcannon admin COMMAND --help" for a command's flags.`

// adminCommand dispatches "jobcannon admin …".
func adminCommand(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("admin: which command?\n\n%s", adminUsage)
	}
	cmd, args := args[0], args[1:]
	switch cmd {
	case "create":
		return adminCreate(ctx, args, getenv, stdin, stdout, stderr)
	case "-h", "--help", "-help", "help":
		fmt.Fprintln(stdout, adminUsage)
		return flag.ErrHelp
	}
	return fmt.Errorf("admin: unknown command %q\n\n%s", cmd, adminUsage)
}

func adminCreate(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	var c operatorConfig
	var customer, email, name string
	var passwordStdin bool
	f := newFlagSet("admin create", fmt.Sprintf(`Usage: jobcannon admin create --customer ID --email E [--name N] [--password-stdin] [flags]

Creates an admin account for a tenant. The password (at least %d characters)
is asked for on the terminal without echo, or read from the first line of
standard input with --password-stdin, e.g.:

  printf '%%s\n' "$PASSWORD" | jobcannon admin create --customer 1234 --email it@acme.com --password-stdin`, assessments.MinPasswordLength), getenv, stdout)
	f.String(&customer, "customer", "", "", "the iCIMS customer id of the tenant")
	f.String(&email, "email", "", "", "the admin's e-mail address, used to sign in")
	f.String(&name, "name", "", "", "the admin's name (optional)")
	f.Bool(&passwordStdin, "password-stdin", "", false, "read the password from standard input instead of asking")
	c.register(f)
	if err := f.parse(args); err != nil {
		return err
	}
	if err := requireCustomer(&customer, "admin create"); err != nil {
		return err
	}
	if email == "" {
		return fmt.Errorf("--email is required (see: jobcannon admin create --help)")
	}
	email, err := assessments.NormalizeEmail(email)
	if err != nil {
		return fmt.Errorf("--email: %s", assessments.ErrorMessage(err))
	}
	return withOperator(ctx, c, 0, stderr, func(o *operator) error {
		// Everything that can be checked is checked before the password
		// is asked for, so a typo does not cost a typed password.
		t, err := o.tenant(ctx, customer)
		if err != nil {
			return err
		}
		existing, err := o.admins.Admins(ctx, t.ID)
		if err != nil {
			return err
		}
		for _, a := range existing {
			if a.Email == email {
				return fmt.Errorf("%s is already an admin of tenant %s", email, t.CustomerID)
			}
		}
		password, err := readPassword(stdin, stderr, passwordStdin, email)
		if err != nil {
			return err
		}
		hash, err := assessments.HashPassword(password, 0)
		if err != nil {
			return err
		}
		a, err := o.admins.CreateAdmin(ctx, t.ID, email, name, hash)
		if err != nil {
			return err
		}
		if c.JSON {
			return printJSON(stdout, newAdminJSON(a, t.CustomerID))
		}
		fmt.Fprintf(stdout, "Created admin %s for tenant %s%s. They sign in at /admin/login.\n", a.Email, t.CustomerID, nameSuffix(t.Name))
		return nil
	})
}

// readPassword reads the new admin's password: the first line of stdin with
// --password-stdin, otherwise twice from the terminal without echo.
func readPassword(stdin io.Reader, prompt io.Writer, fromStdin bool, email string) (string, error) {
	if fromStdin {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read the password from stdin: %w", err)
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			return "", errors.New("--password-stdin: standard input is empty; pipe the password in")
		}
		return line, nil
	}
	tty, ok := stdin.(*os.File)
	if !ok || !term.IsTerminal(int(tty.Fd())) {
		return "", errors.New("cannot ask for the password: standard input is not a terminal; pipe it in with --password-stdin")
	}
	fmt.Fprintf(prompt, "Password for %s (at least %d characters): ", email, assessments.MinPasswordLength)
	first, err := term.ReadPassword(int(tty.Fd()))
	fmt.Fprintln(prompt)
	if err != nil {
		return "", fmt.Errorf("read the password: %w", err)
	}
	fmt.Fprint(prompt, "Repeat it: ")
	second, err := term.ReadPassword(int(tty.Fd()))
	fmt.Fprintln(prompt)
	if err != nil {
		return "", fmt.Errorf("read the password: %w", err)
	}
	if string(first) != string(second) {
		return "", errors.New("the two passwords differ; run the command again")
	}
	return string(first), nil
}
