package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
)

// MaxEventBytes bounds an event body as sent and once inflated: iCIMS's
// events are a few kilobytes, and a gzip bomb must not get further.
const MaxEventBytes = 1 << 20

// EventReceive is POST /icims/events, where iCIMS posts every customer's
// events. It reads the body (bounded), authenticates it with the tenant's
// inbound credentials, checks the credential belongs to the event's
// customer, decodes it, and hands it to the intake, which records it
// durably before the answer goes out. Problems get iCIMS's error shape
// with a message the recruiter can act on.
func (h *Events) EventReceive(c echo.Context) error {
	req := c.Request()
	ctx := req.Context()
	start := h.Clock.Now()
	c.Response().Header().Set("Cache-Control", "no-store")

	wire, err := icims.ReadWireBody(req, MaxEventBytes)
	if err != nil {
		return h.refuseUnknown(c, eventProblem(err), err)
	}
	tenant, creds, err := h.EventAuth.Authenticate(req, wire, start)
	if err != nil {
		return h.refuseUnknown(c, eventProblem(err), err)
	}
	if creds.Scheme == icims.InboundHMAC {
		// Which layout iCIMS really signs is open in its documentation.
		h.Log.InfoContext(ctx, "event hmac verified", "customer_id", tenant.CustomerID,
			"hmac_layout", creds.HMAC.Layout, "hmac_body_hash", creds.HMAC.BodyHash)
	}

	rec := assessments.Received{Tenant: tenant, Method: req.Method, URL: req.URL.RequestURI(),
		Headers: assessments.RedactHeaders(req.Header), Start: start}
	ev, body, err := icims.DecodeEvent(req.Header, wire, MaxEventBytes)
	if err != nil {
		rec.Body = storableBody(req.Header, wire)
		return h.refuse(c, rec, eventProblem(err), err)
	}
	if ev.LinkHeaderErr != nil {
		h.Log.WarnContext(ctx, "event Link header not read; using the links left", "customer_id", tenant.CustomerID, "err", ev.LinkHeaderErr)
	}
	rec.Event, rec.Body = inboundEvent(ev), body
	if problem := h.customerProblem(c, tenant, ev.CustomerID); problem.Status != 0 {
		return h.refuse(c, rec, problem, nil)
	}
	answer, err := h.Intake.Receive(ctx, rec)
	if err != nil {
		h.Log.ErrorContext(ctx, "event not recorded", "customer_id", tenant.CustomerID, "err", err, "status_code", answer.Status)
	}
	return writeEventAnswer(c, answer)
}

// customerProblem checks that the authenticated tenant is the event's
// customer and still installed. Every mismatch gets the same 401 and body,
// with no lookup: whether the named customer is installed here must not be
// learnt from the answer or its timing. The log line says which it was.
func (h *Events) customerProblem(c echo.Context, tenant assessments.Tenant, customerID string) assessments.EventAnswer {
	if customerID == tenant.CustomerID && tenant.Status != assessments.TenantUninstalled {
		return assessments.EventAnswer{}
	}
	h.Log.WarnContext(c.Request().Context(), "event for another customer", "customer_id", tenant.CustomerID,
		"event_customer", customerID, "tenant_status", string(tenant.Status))
	return assessments.EventAnswer{Status: http.StatusUnauthorized, UserMessage: messageBadAuth,
		Debug: "the credentials are not valid for the event's customer"}
}

// refuseUnknown answers a delivery whose tenant is not known: nothing is
// recorded, since unauthenticated requests must not make us write.
func (h *Events) refuseUnknown(c echo.Context, answer assessments.EventAnswer, cause error) error {
	level := h.Log.WarnContext
	if answer.Status >= 500 {
		level = h.Log.ErrorContext
	}
	level(c.Request().Context(), "event refused", "status_code", answer.Status, "err", cause)
	return writeEventAnswer(c, answer)
}

// refuse answers an authenticated delivery that cannot be used and records
// it for the tenant's logs.
func (h *Events) refuse(c echo.Context, rec assessments.Received, answer assessments.EventAnswer, cause error) error {
	ctx := c.Request().Context()
	h.Log.WarnContext(ctx, "event refused", "customer_id", rec.Tenant.CustomerID, "status_code", answer.Status, "err", cause,
		"debug", answer.Debug)
	if err := h.Intake.Refuse(ctx, rec, answer); err != nil {
		h.Log.ErrorContext(ctx, "refused event not recorded", "customer_id", rec.Tenant.CustomerID, "err", err)
	}
	return writeEventAnswer(c, answer)
}

// writeEventAnswer sends an answer: a redirect, or the answer's JSON.
func writeEventAnswer(c echo.Context, a assessments.EventAnswer) error {
	if a.Status == http.StatusSeeOther {
		return c.Redirect(http.StatusSeeOther, a.Location)
	}
	return c.JSONBlob(a.Status, a.JSON())
}

// storableBody is what the logs keep of a body that could not be decoded:
// the text when it is plain UTF-8, otherwise only its size.
func storableBody(h http.Header, wire []byte) []byte {
	if h.Get("Content-Encoding") == "" && utf8.Valid(wire) {
		return wire
	}
	return []byte("(" + strconv.Itoa(len(wire)) + " bytes that could not be decoded)")
}

// inboundEvent turns iCIMS's event into the domain's. Link URLs end in the
// job's and the candidate's ids, which fills what an Application Complete
// event leaves out without a call to iCIMS. Link titles are ignored: iCIMS
// sends labels there ("Job Profile"), never a title or a name.
func inboundEvent(ev icims.Event) assessments.InboundEvent {
	out := assessments.InboundEvent{
		Type: ev.EventType, CustomerID: ev.CustomerID, WorkflowID: ev.SystemID, JobID: ev.JobID, PersonID: ev.PersonID,
		UserID: ev.UserID, OldStatus: ev.OldStatus, NewStatus: ev.NewStatus, ReturnURL: ev.ReturnURL,
	}
	if l, ok := ev.Link(icims.RelJob); ok {
		if out.JobID == "" {
			out.JobID = lastSegment(l.URL)
		}
	}
	if l, ok := ev.Link(icims.RelPerson); ok {
		if out.PersonID == "" {
			out.PersonID = lastSegment(l.URL)
		}
	}
	if out.PersonID == "" && ev.EventType == icims.AssessmentEvent {
		out.PersonID = ev.UserID // the candidate finishing the application
	}
	return out
}

// lastSegment returns the id at the end of an iCIMS API URL, or "".
func lastSegment(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	id, err := icims.CanonicalID(path.Base(u.Path))
	if err != nil {
		return ""
	}
	return id
}

// eventProblem words why a delivery was refused, for iCIMS to show.
func eventProblem(err error) assessments.EventAnswer {
	var ee *icims.EventError
	var mf *icims.MissingFieldError
	var ae *icims.AuthError
	var he *echo.HTTPError
	switch {
	case errors.As(err, &mf):
		return missingField(mf)
	case errors.As(err, &ee):
		return eventErrorAnswer(ee)
	case errors.As(err, &ae):
		return assessments.EventAnswer{Status: http.StatusUnauthorized, UserMessage: messageBadAuth, Debug: ae.Error()}
	case errors.As(err, &he) && he.Code == http.StatusRequestEntityTooLarge:
		return tooLarge("body over the server limit")
	}
	return assessments.EventAnswer{Status: http.StatusServiceUnavailable, UserMessage: assessments.MessageTemporary,
		Debug: "temporary: credentials or tenant could not be looked up"}
}

// missingField is iCIMS's approval case "missing required field": a 400
// whose message names the field. The recruiter's message uses iCIMS's
// {{profileType.fieldid}} placeholder where the key is a profile field, so
// iCIMS shows the field's display name; the debug message names the JSON
// key for whoever reads iCIMS's logs.
func missingField(mf *icims.MissingFieldError) assessments.EventAnswer {
	debug := "missing required field " + mf.Field
	if mf.EventType != "" {
		debug += " in " + mf.EventType
	}
	return assessments.EventAnswer{Status: http.StatusBadRequest,
		UserMessage: "The request from iCIMS is missing the required field " + icims.FieldPlaceholder(mf.Field) +
			", so JobCannon could not act on it. Nothing was sent to the candidate.",
		Debug: debug}
}

const messageBadAuth = "JobCannon could not verify that this request came from your iCIMS. An iCIMS admin should check the credentials configured for JobCannon."

func tooLarge(debug string) assessments.EventAnswer {
	return assessments.EventAnswer{Status: http.StatusRequestEntityTooLarge,
		UserMessage: "The request to JobCannon is larger than it accepts (1 MB).", Debug: debug}
}

func eventErrorAnswer(ee *icims.EventError) assessments.EventAnswer {
	bad := func(msg string) assessments.EventAnswer {
		return assessments.EventAnswer{Status: http.StatusBadRequest, UserMessage: msg, Debug: ee.Error()}
	}
	switch ee.Reason {
	case icims.ReasonBodyTooLarge:
		return tooLarge(ee.Error())
	case icims.ReasonUnsupportedMediaType, icims.ReasonUnsupportedEncoding:
		return assessments.EventAnswer{Status: http.StatusUnsupportedMediaType,
			UserMessage: "JobCannon accepts events as JSON, plain or gzip-compressed.", Debug: ee.Error()}
	case icims.ReasonBadGzip:
		return bad("The request to JobCannon was damaged in transit (its compression could not be read). Please try again.")
	case icims.ReasonInvalidField:
		return bad("The request to JobCannon has an invalid " + ee.Field + ".")
	}
	return bad("The request to JobCannon could not be read: it is not valid JSON.")
}
