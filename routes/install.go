package routes

const (
	installBegin    = "/oauth/authorize"
	installCallback = "/icims/oauth-callback"
	oauthToken      = "/oauth/token"
)

// InstallBegin is where the Marketplace sends an admin to install; the
// caller adds customer_id and region as a query.
func InstallBegin() string { return installBegin }

// InstallCallback is where iCIMS sends the admin back after consent.
func InstallCallback() string { return installCallback }

// OAuthToken is where iCIMS trades its client credentials for a token.
func OAuthToken() string { return oauthToken }
