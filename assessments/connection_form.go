package assessments

// CredentialProblems lists every credential the chosen mode needs and
// did not get, each at its form field, so that the connection form shows
// them all at once. Fields of the other modes are not looked at.
func (cr Credentials) CredentialProblems(mode AuthMode) []FieldProblem {
	var out []FieldProblem
	need := func(field, value, msg string) {
		if value == "" {
			out = append(out, FieldProblem{Field: field, Message: msg})
		}
	}
	switch mode {
	case AuthBasic:
		need("username", cr.Username, "Enter the integration user's name.")
		need("password", cr.Password, "Enter the integration user's password.")
	case AuthHMAC:
		need("hmac_user", cr.HMACUser, "Enter the HMAC user iCIMS issued.")
		need("hmac_key", cr.HMACKey, "Enter the HMAC key iCIMS issued.")
	case AuthClientCredentials:
		need("client_id", cr.ClientID, "Enter the OAuth client id.")
		need("client_secret", cr.ClientSecret, "Enter the OAuth client secret.")
	}
	return out
}
