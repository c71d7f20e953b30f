package routes

const (
	healthz = "/healthz"
	readyz  = "/readyz"
	metrics = "/metrics"
	static  = "/static/*"
	home    = "/"
)

// Healthz is the liveness probe.
func Healthz() string { return healthz }

// Readyz is the readiness probe.
func Readyz() string { return readyz }

// Metrics is the Prometheus scrape address.
func Metrics() string { return metrics }

// Static is an embedded asset; name is its path under the static folder.
func Static(name string) string { return fill(static, name) }

// Home is the start page.
func Home() string { return home }
