package views

// connectionLabels names the connection form's fields in its summary.
var connectionLabels = map[string]string{
	"mode": "How iCIMS issued the credentials", "region": "Where",
	"username": "Integration user name", "password": "Password",
	"hmac_user": "HMAC user", "hmac_key": "HMAC key",
	"client_id": "Client id", "client_secret": "Client secret",
}

// summary is every problem of the connection form, each linking to its
// field (the radio groups' fieldsets are conn-mode and conn-region).
func (f ConnectionForm) summary() []FieldError {
	var out []FieldError
	for _, p := range f.Problems {
		id := p.Field
		if id == "mode" || id == "region" {
			id = "conn-" + id
		}
		out = append(out, FieldError{ID: id, Label: connectionLabels[p.Field], Message: p.Message})
	}
	return out
}
