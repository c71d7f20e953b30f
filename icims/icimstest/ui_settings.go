package icimstest

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

func (s *Sim) faultsViewLocked(c *customer) faultsView {
	f := c.faults
	view := faultsView{
		CID: c.id, Customer: c.name,
		RateLimit:      strconv.Itoa(f.RateLimit),
		ErrorPercent:   strconv.FormatFloat(f.ErrorRate*100, 'f', -1, 64),
		TimeoutPercent: strconv.FormatFloat(f.TimeoutRate*100, 'f', -1, 64),
		LatencyMS:      strconv.FormatInt(f.Latency.Milliseconds(), 10),
		RevokeTokens:   f.RevokeTokens,
	}
	now := s.clock.Now()
	if now.Before(f.OutageUntil) {
		view.OutageUntil = f.OutageUntil.UTC().Format("2006-01-02 15:04:05 UTC")
	}
	view.Scopes = append(view.Scopes, option{Value: "", Label: "none", Selected: f.MissingScope == ""})
	for _, sc := range allScopes() {
		view.Scopes = append(view.Scopes, option{Value: sc, Label: sc, Selected: f.MissingScope == sc})
	}
	for _, d := range c.customFields {
		view.CustomFields = append(view.CustomFields, option{Value: d.id, Label: d.id + " " + d.label, Selected: slices.Contains(f.DeletedFields, d.id)})
	}
	view.Required = append(view.Required, option{Value: "", Label: "none", Selected: f.RequiredField == ""})
	for _, d := range c.personDefs() {
		view.Required = append(view.Required, option{Value: d.id, Label: d.id + " " + d.label, Selected: f.RequiredField == d.id})
	}
	return view
}

func (s *Sim) handleFaultsForm(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	c := s.customers[r.PathValue("cid")]
	if c == nil {
		s.mu.Unlock()
		s.notFoundPage(w, r, "This customer")
		return
	}
	view := s.faultsViewLocked(c)
	s.mu.Unlock()
	view.Message = r.URL.Query().Get("msg")
	s.render(w, r, faultsPage(view))
}

// parseFaultsForm reads the fault switches; the outage is given in minutes
// from now (0 ends it).
func parseFaultsForm(form url.Values, now time.Time) (Faults, error) {
	var f Faults
	num := func(name string, lo, hi float64) (float64, error) {
		v := strings.TrimSpace(form.Get(name))
		if v == "" {
			return 0, nil
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || x < lo || x > hi {
			return 0, fmt.Errorf("%s must be a number from %g to %g", name, lo, hi)
		}
		return x, nil
	}
	rate, err := num("rate_limit", 0, 1e6)
	if err != nil {
		return f, err
	}
	errPct, err := num("error_percent", 0, 100)
	if err != nil {
		return f, err
	}
	timeoutPct, err := num("timeout_percent", 0, 100)
	if err != nil {
		return f, err
	}
	if errPct+timeoutPct > 100 {
		return f, fmt.Errorf("error_percent and timeout_percent add up to more than 100")
	}
	latency, err := num("latency_ms", 0, 600000)
	if err != nil {
		return f, err
	}
	outage, err := num("outage_minutes", 0, 7*24*60)
	if err != nil {
		return f, err
	}
	f.RateLimit = int(rate)
	f.ErrorRate = errPct / 100
	f.TimeoutRate = timeoutPct / 100
	f.Latency = time.Duration(latency) * time.Millisecond
	f.RevokeTokens = form.Get("revoke_tokens") == "on"
	f.MissingScope = form.Get("missing_scope")
	f.DeletedFields = form["deleted_fields"]
	f.RequiredField = form.Get("required_field")
	if outage > 0 {
		f.OutageUntil = now.Add(time.Duration(outage * float64(time.Minute)))
	}
	return f, nil
}

func (s *Sim) handleFaultsSave(w http.ResponseWriter, r *http.Request) {
	cid := r.PathValue("cid")
	if err := r.ParseForm(); err != nil {
		s.renderStatus(w, r, http.StatusBadRequest, errorPage("Faults not saved", "The form could not be read."))
		return
	}
	s.mu.Lock()
	c := s.customers[cid]
	var keepOutage time.Time
	if c != nil {
		keepOutage = c.faults.OutageUntil
	}
	s.mu.Unlock()
	if c == nil {
		s.notFoundPage(w, r, "This customer")
		return
	}
	f, err := parseFaultsForm(r.PostForm, s.clock.Now())
	if err == nil && r.PostForm.Get("keep_outage") == "on" && f.OutageUntil.IsZero() {
		f.OutageUntil = keepOutage
	}
	if err == nil {
		err = s.SetFaults(cid, f)
	}
	if err != nil {
		s.mu.Lock()
		view := s.faultsViewLocked(c)
		s.mu.Unlock()
		view.Error = err.Error()
		s.renderStatus(w, r, http.StatusBadRequest, faultsPage(view))
		return
	}
	http.Redirect(w, r, sandboxPrefix+"/customers/"+url.PathEscape(cid)+"/faults?msg="+url.QueryEscape("Faults saved."), http.StatusSeeOther)
}

func vendorViewOf(c *customer, v VendorSettings) vendorView {
	if v.Auth == "" {
		v.Auth = VendorAuthNone
	}
	view := vendorView{CID: c.id, Customer: c.name, V: v}
	for _, m := range []string{VendorAuthNone, VendorAuthBasic, VendorAuthHMAC, VendorAuthBearer} {
		view.Modes = append(view.Modes, option{Value: m, Label: m, Selected: v.Auth == m})
	}
	return view
}

func (s *Sim) handleVendorForm(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	c := s.customers[r.PathValue("cid")]
	if c == nil {
		s.mu.Unlock()
		s.notFoundPage(w, r, "This customer")
		return
	}
	view := vendorViewOf(c, c.vendor)
	s.mu.Unlock()
	view.Message = r.URL.Query().Get("msg")
	s.render(w, r, vendorPage(view))
}

func (s *Sim) handleVendorSave(w http.ResponseWriter, r *http.Request) {
	cid := r.PathValue("cid")
	if err := r.ParseForm(); err != nil {
		s.renderStatus(w, r, http.StatusBadRequest, errorPage("Vendor settings not saved", "The form could not be read."))
		return
	}
	f := r.PostForm
	v := VendorSettings{
		EventURL: strings.TrimSpace(f.Get("event_url")), Auth: f.Get("auth"),
		User: f.Get("user"), Password: f.Get("password"),
		HMACUser: f.Get("hmac_user"), HMACKey: f.Get("hmac_key"),
		ClientID: f.Get("client_id"), ClientSecret: f.Get("client_secret"), TokenURL: strings.TrimSpace(f.Get("token_url")),
	}
	err := s.SetVendor(cid, v)
	if err != nil {
		s.mu.Lock()
		c := s.customers[cid]
		if c == nil {
			s.mu.Unlock()
			s.notFoundPage(w, r, "This customer")
			return
		}
		view := vendorViewOf(c, v)
		s.mu.Unlock()
		view.Error = err.Error()
		s.renderStatus(w, r, http.StatusBadRequest, vendorPage(view))
		return
	}
	http.Redirect(w, r, sandboxPrefix+"/customers/"+url.PathEscape(cid)+"/vendor?msg="+url.QueryEscape("Vendor settings saved."), http.StatusSeeOther)
}
