package icimstest

// The view types below carry what each sandbox page shows; handlers fill
// them under the simulator's lock and templates only read them.

type option struct {
	Value    string
	Label    string
	Selected bool
}

type customerOption struct {
	ID     string
	Name   string
	Region string
}

type consentView struct {
	RequestID    string
	Customer     string
	App          string
	Scopes       []string
	RedirectHost string
}

type marketplaceView struct {
	Configured bool
	Scopes     []string
	Customers  []customerOption
}

type customerSummary struct {
	ID, Name, Region           string
	Jobs, People, Workflows    int
	BasicUser, BasicPassword   string
	HMACUser, HMACKey          string
	CCClientID, CCClientSecret string
}

type homeView struct {
	APIBase, AuthorizeURL, TokenURL, RevokeURL string
	ClientID, ClientSecret, Scopes, Audience   string
	Customers                                  []customerSummary
}

type jobRow struct {
	ID                                       int
	Title, Location, Folder, AssessmentTypes string
}

type workflowRow struct {
	ID, PersonID             int
	Name, Email, Job, Status string
	Results                  int
}

type customerView struct {
	ID, Name, Region string
	Jobs             []jobRow
	Workflows        []workflowRow
}

type fieldRow struct {
	ID, Label, Value string
	Deleted          bool
}

type resultRow struct {
	Entry                                         int
	Name, Status, Score, Result, Notes, Date, URL string
}

type eventRow struct {
	Time, Type, URL, Auth, Status, Location, Error, Payload, Response string
}

type callRow struct {
	Time, Method, Path, Status, Auth, Fault string
}

type workflowView struct {
	CID, Customer                                          string
	ID, PersonID, JobID                                    int
	Name, Email, Job, Status, StatusID, Source, SourceName string
	// SourceSpecifics is the person's; CV describes the person's résumé.
	SourceSpecifics, CV string
	VendorConfigured    bool
	Statuses            []option
	Results             []resultRow
	Scorecard           []fieldRow
	Events              []eventRow
	Message             string
}

type logView struct {
	CID, Customer string
	Events        []eventRow
	Calls         []callRow
}

type faultsView struct {
	CID, Customer                                      string
	RateLimit, ErrorPercent, TimeoutPercent, LatencyMS string
	RevokeTokens                                       bool
	OutageUntil                                        string
	Scopes, CustomFields, Required                     []option
	Message, Error                                     string
}

type vendorView struct {
	CID, Customer  string
	V              VendorSettings
	Modes          []option
	Message, Error string
}
