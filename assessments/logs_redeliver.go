package assessments

import (
	"context"
	"fmt"
)

// HeaderRedeliveredBy names, on a redelivery's recorded request, the admin
// who asked for it.
const HeaderRedeliveredBy = "X-Jobcannon-Redelivered-By"

// Redeliver replays first, an event iCIMS delivered earlier, as an admin's
// redelivery: a new delivery (RedeliveryOf set) that goes through the same
// routing, recording and processing as one from iCIMS. It carries no
// dedupe key, because an exact redelivery from iCIMS is only answered as
// the first time, and an admin asks for the work to run again; everything
// else is the intake's usual path, so a package already live for the
// application is refused as a duplicate here too. request is the first
// delivery's recorded request (secrets already removed).
func (in *Intake) Redeliver(ctx context.Context, t Tenant, first Delivery, request DeliveryAttempt, by Actor) (Delivery, EventAnswer, error) {
	headers := make(map[string]string, len(request.RequestHeaders)+1)
	for k, v := range request.RequestHeaders {
		headers[k] = v
	}
	headers[HeaderRedeliveredBy] = by.Email
	method, url := request.Method, request.URL
	if method == "" {
		method, url = "POST", "/icims/events"
	}
	r := Received{Tenant: t, Event: first.Event, Body: []byte(request.RequestBody), Method: method, URL: url,
		Headers: headers, Start: in.Clock.Now()}
	acc, err := in.acceptance(r)
	if err != nil {
		return Delivery{}, EventAnswer{}, err
	}
	d := &acc.Delivery
	d.RedeliveryOf = first.ID
	switch r.Event.Type {
	case EventStatusChange:
		if err := in.routeStatusChange(ctx, r, &acc); err != nil {
			return Delivery{}, EventAnswer{}, fmt.Errorf("redeliver %d: %w", first.ID, err)
		}
	case EventApplicationComplete:
		return Delivery{}, EventAnswer{}, Errorf(EINVALID, "An inline assessment's event cannot be redelivered.")
	default:
		d.Status, d.Message = DeliveryIgnored, "JobCannon does not act on "+r.Event.Type+" events."
		acc.Answer = EventAnswer{Status: AnswerOK, UserMessage: MessageIgnoredEventType, Debug: "delivery " + d.PublicID}
	}
	d.Message = fmt.Sprintf("Redelivered by %s from delivery %d. %s", by.Email, first.ID, d.Message)
	d.LatencyMS = in.Clock.Now().Sub(r.Start).Milliseconds()
	res, err := in.Events.Accept(ctx, acc)
	if err != nil {
		return Delivery{}, EventAnswer{}, fmt.Errorf("redeliver %d: %w", first.ID, err)
	}
	return res.Delivery, res.Answer, nil
}
