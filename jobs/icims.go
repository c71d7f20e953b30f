package jobs

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
)

// Clients hands out a tenant's iCIMS client; *icimsadapter.Pool is one.
// The workers hold it as this interface so that jobs does not depend on
// how clients are built.
type Clients interface {
	Client(ctx context.Context, t assessments.Tenant) (*icims.Client, error)
	// Failed marks a tenant whose credentials iCIMS refused; it returns err.
	Failed(ctx context.Context, t assessments.Tenant, err error) error
}

// ICIMSReader is what ProcessEventWorker reads from a tenant's iCIMS: the
// facts its rules ask for and the candidate it invites.
// *icimsadapter.Facts is one.
type ICIMSReader interface {
	assessments.FactSource
	assessments.PersonSource
	// Batch returns a context for reads made together, over seconds: they
	// share what the first of them built for a tenant (its client, whose
	// credentials are otherwise read for every call).
	Batch(ctx context.Context) context.Context
}

// describe words an error reading iCIMS for the logs page.
func describe(err error) (string, int, bool) {
	var ie *icims.Error
	if errors.As(err, &ie) {
		msg := strings.TrimSpace(ie.Message)
		if msg == "" {
			msg = string(ie.Kind)
		}
		msg = fmt.Sprintf("iCIMS: %s: %s", ie.Op, msg)
		if ie.HTTPStatus != 0 {
			msg += fmt.Sprintf(" (HTTP %d)", ie.HTTPStatus)
		}
		return msg, ie.Code, ie.Code != icims.CodeNone
	}
	if assessments.ErrorCode(err) != assessments.EINTERNAL {
		return assessments.ErrorMessage(err), 0, false
	}
	return err.Error(), 0, false
}
