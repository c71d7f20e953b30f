package app

import (
	"crypto/rand"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/handlers"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/icimsadapter"
	"github.com/jobcannon/jobcannon/secrets"
	"github.com/jobcannon/jobcannon/static"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/web"
)

// parts are the built pieces of the service that App starts and stops.
type parts struct {
	server   *web.Server
	sim      *icimstest.Sim
	sessions storage.SessionStore
	tenants  *storage.TenantStore
	// events is the iCIMS events side: its job queue starts after the
	// server is built and stops after HTTP, before the database closes.
	events *eventParts
	// email is the invitation e-mail side; its workers run on events' queue.
	email *emailParts
	// invitations and results are the stores whose changes the
	// write-back follows (each change queues its own write), and writeback the
	// write-back itself: for tests that drive a candidate's lifecycle.
	invitations *storage.InvitationStore
	results     *storage.ResultStore
	writeback   *writebackParts
	// logs is the logs page, checklist and retention; its call log
	// flushes when the app closes.
	logs *logsParts
}

// close stops what runs beside the HTTP server, after it has stopped.
func (a *parts) close() {
	if a.sim != nil {
		a.sim.Close()
	}
	a.sessions.StopCleanup()
	if a.logs != nil {
		a.logs.close()
	}
}

// wire builds the service from plain constructor calls: stores, the iCIMS
// side (real or simulated), the domain services, the handlers, the server.
func wire(cfg Config, base *url.URL, db *storage.DB, keyring *secrets.Keyring, log *slog.Logger) (*parts, error) {
	clock := assessments.SystemClock{}
	a := &parts{sessions: db.Sessions(30 * time.Minute)}

	ic := cfg.ICIMS
	if cfg.Sandbox {
		a.sim = icimstest.New(icimstest.Options{BaseURL: base.String(), Logger: log.With("component", "sandbox"),
			VendorAuthorizeURL: base.JoinPath("/oauth/authorize").String()})
		ic = sandboxICIMS(ic, a.sim)
	}

	tenants := storage.NewTenantStore(db, keyring, clock)
	a.tenants = tenants
	admins := storage.NewAdminStore(db, clock)
	// The rotation grace is the default here; the CLI's --grace only
	// applies to credentials the CLI issues.
	inbound := storage.NewInboundStore(db, keyring, clock, rand.Reader, 0)
	limits := storage.NewRateLimits(db, keyring)
	accounts := assessments.NewAccounts(admins, clock, rand.Reader, cfg.passwordCost)
	var err error
	timeout := cfg.icimsTimeout
	if timeout <= 0 {
		timeout = icims.DefaultTimeout
	}
	httpClient := &http.Client{Timeout: timeout}
	var market *icims.Marketplace
	if ic.ClientID != "" {
		market, err = icims.NewMarketplace(icims.MarketplaceConfig{
			ClientID: ic.ClientID, ClientSecret: ic.ClientSecret, AuthorizeURL: ic.AuthorizeURL,
			TokenURL: firstNonEmpty(ic.TokenURL, icims.TokenURLUS), RedirectURL: base.JoinPath("/icims/oauth-callback").String(),
			Scopes: assessments.RequiredScopes(), HTTPClient: httpClient,
		})
		if err != nil {
			return nil, err
		}
	}
	// The logs page, the checklist and retention. Its call log observes
	// every call to iCIMS (and passes it on to the write-back's recorder);
	// its retention worker joins the events side's queue.
	logs := newLogsParts(db, clock, tenants, log, cfg.icimsLimits.DailyQuota)
	a.logs = logs
	pool := icimsadapter.NewPool(icimsadapter.PoolConfig{Tenants: tenants, Marketplace: market, TokenURL: ic.TokenURL,
		RevokeURL: ic.RevokeURL, HTTPClient: httpClient, Limits: cfg.icimsLimits, Paces: db, Log: log, Observe: logs.calls.observe,
		AssessmentListNames: []string{cfg.ICIMS.AssessmentTypeList, cfg.ICIMS.AssessmentNameList}})

	sessions := scs.New()
	// Tokens are stored hashed: the database holds no usable cookie.
	sessions.Store = web.HashedSessionStore{Store: a.sessions}
	sessions.Lifetime = 12 * time.Hour
	sessions.IdleTimeout = 2 * time.Hour
	sessions.Cookie.Name = "jc_session"
	if base.Scheme == "https" {
		// __Host-: Secure, Path=/, no Domain, so no sibling subdomain can
		// set or shadow the session cookie.
		sessions.Cookie.Name = "__Host-jc_session"
		sessions.Cookie.Path = "/"
		sessions.Cookie.Domain = ""
	}
	sessions.Cookie.HttpOnly = true
	sessions.Cookie.SameSite = http.SameSiteLaxMode
	sessions.Cookie.Secure = base.Scheme == "https"
	sessions.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		log.ErrorContext(r.Context(), "session", "err", err)
		http.Error(w, "Your session could not be loaded. Please try again.", http.StatusInternalServerError)
	}

	// The catalog, candidate pages and report. Every change of an
	// invitation's status queues its write-back to iCIMS itself.
	lib, err := assessments.BuiltinInstruments()
	if err != nil {
		return nil, err
	}
	catalog := storage.NewCatalogStore(db, clock)
	invitations := storage.NewInvitationStore(db, keyring, clock, rand.Reader)
	results := storage.NewResultStore(db, clock, invitations)
	candidates := &assessments.CandidateService{Library: lib, Catalog: catalog, Invitations: invitations,
		Answers: storage.NewAnswerStore(db, invitations), Results: results, Clock: clock}
	reports := &assessments.Reports{Signer: keyring, Library: lib, Catalog: catalog, Invitations: invitations, Results: results, Tenants: tenants}
	writeback := wireWriteback(writebackDeps{db: db, keyring: keyring, clock: clock, log: log, base: base, tenants: tenants,
		catalog: catalog, clients: pool, health: cfg.WriteHealth})
	a.invitations, a.results, a.writeback = invitations, results, writeback

	// E-mail: real SMTP when configured, otherwise the dev mailbox that the
	// sandbox shows under /sandbox/mailbox. Its workers run on the events
	// side's queue.
	email, err := wireEmail(emailDeps{smtpURL: cfg.SMTPURL, mailFrom: cfg.MailFrom, db: db, keyring: keyring, clock: clock,
		log: log, base: base, lib: lib, tenants: tenants, catalog: catalog, invitations: invitations})
	if err != nil {
		return nil, err
	}
	jobSync := newJobSyncParts(db, clock, log, tenants, pool, ic)
	apply := wireApply(applyDeps{db: db, keyring: keyring, clock: clock, log: log, tenants: tenants, invitations: invitations,
		emails: email.emails, clients: pool, limits: limits, label: "JobCannon"})
	events, err := wireEvents(eventDeps{db: db, keyring: keyring, clock: clock, log: log, base: base, tenants: tenants,
		inbound: inbound, catalog: catalog, invitations: invitations, pool: pool, sim: a.sim, email: email.workers,
		writeback: writeback, retryPolicy: cfg.retryPolicy, retention: logs.worker, jobSync: jobSync, apply: apply})
	if err != nil {
		return nil, err
	}
	if err := logs.finish(events, writeback, invitations, a.sim); err != nil {
		return nil, err
	}
	a.events, a.email = events, email
	// Connecting a tenant again (a new install, credentials entered again)
	// resumes at once its work that waited for it: the write-back's writes
	// and the events' processing.
	waking := wakingTenants{TenantStore: writeback.waking(tenants), wake: events.wake}
	var installer *assessments.Installer
	if market != nil {
		var installing assessments.TenantStore = waking
		if events.sandbox != nil {
			// The sandbox points a newly installed customer's events here.
			installing = installingTenants{TenantStore: waking, sandbox: events.sandbox}
		}
		installer = &assessments.Installer{App: icimsadapter.NewMarketplaceApp(market), States: storage.NewInstallStateStore(db, keyring),
			Tenants: installing, Clock: clock, Random: rand.Reader, APIURL: ic.APIURL}
	}

	assets, err := static.New()
	if err != nil {
		return nil, err
	}
	shared := &handlers.Shared{Log: log, Assets: assets, Clock: clock, Sandbox: cfg.Sandbox, BaseURL: base, Sessions: sessions}
	h := handlers.Areas{
		Shared: shared,
		Site:   &handlers.Site{Shared: shared, Ready: db},
		Install: &handlers.Install{Shared: shared, Installer: installer,
			InboundTokens: assessments.NewInboundTokenIssuer(inbound, limits, clock)},
		Events: &handlers.Events{Shared: shared, EventAuth: handlers.NewEventAuth(inbound, tenants, clock, 0),
			Intake: events.intake, Confirmations: events.confirmations},
		Candidate: &handlers.Candidate{Shared: shared, Candidates: candidates, Brands: email.templates},
		Report:    &handlers.Report{Shared: shared, Reports: reports},
		Admin: &handlers.Admin{Shared: shared, Tenants: waking, Admins: admins, Accounts: accounts,
			Logins: handlers.NewLoginLimits(limits), Mailer: email.sender, MailFrom: cfg.MailFrom,
			Connector: pool, Pace: pool, Checklist: logs.checklist, Retention: logs.retention, Trial: logs.trial,
			Accommodations: invitations},
		Catalog: &handlers.Catalog{Shared: shared, Library: lib, Catalog: catalog, Invitations: invitations,
			Candidates: candidates, AssessmentTypes: pool, Scorecards: writeback.check},
		Rules: &handlers.Rules{Shared: shared, Rules: events.rules, Catalog: catalog, DryRun: events.dryRun,
			Statuses: events.icims, Samples: events.icims, JobListings: jobSync.listings},
		Jobs:  &handlers.Jobs{Shared: shared, JobListings: jobSync.listings},
		Apply: apply.area(shared, waking, catalog, events.icims),
		Invitations: &handlers.Invitations{Shared: shared, InvitationPages: email.lister, Invitations: invitations,
			Lifecycle: email.lifecycle, Catalog: catalog, EmailTemplates: email.templates, Mailer: email.sender,
			MailFrom: cfg.MailFrom},
		Logs: &handlers.Logs{Shared: shared, Writeback: writeback.store, Logs: logs.logs},
	}
	if cfg.Sandbox {
		h.Site.Mailbox = email.mailbox
	}
	var sandbox http.Handler
	if a.sim != nil {
		sandbox = a.sim.Handler()
	}
	proxies, err := cfg.ProxyNets()
	if err != nil {
		a.close()
		return nil, err
	}
	a.server, err = web.New(web.Config{BaseURL: base, MetricsToken: cfg.MetricsToken, Log: log, Sandbox: sandbox,
		TrustedProxies: proxies}, h)
	if err != nil {
		a.close()
		return nil, err
	}
	return a, nil
}

// sandboxICIMS points every iCIMS endpoint that is not configured at the
// simulator mounted in this process.
func sandboxICIMS(ic ICIMSConfig, sim *icimstest.Sim) ICIMSConfig {
	if ic.ClientID == "" {
		ic.ClientID, ic.ClientSecret = icimstest.ClientID, icimstest.ClientSecret
	}
	ic.APIURL = firstNonEmpty(ic.APIURL, sim.APIBase())
	ic.AuthorizeURL = firstNonEmpty(ic.AuthorizeURL, sim.AuthorizeURL())
	ic.TokenURL = firstNonEmpty(ic.TokenURL, sim.TokenURL())
	ic.RevokeURL = firstNonEmpty(ic.RevokeURL, sim.RevokeURL())
	return ic
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
