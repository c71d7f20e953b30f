package web

import (
	"net"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2/memstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestClientIP(t *testing.T) {
	_, proxies, err := net.ParseCIDR("10.0.0.0/8")
	require.NoError(t, err)
	cases := []struct {
		name    string
		trusted []*net.IPNet
		remote  string
		xff     string
		want    string
	}{
		{"no proxy: the header is ignored", nil, "203.0.113.9:5000", "198.51.100.1", "203.0.113.9"},
		{"no proxy: loopback is not trusted either", nil, "127.0.0.1:5000", "198.51.100.1", "127.0.0.1"},
		{"from a trusted proxy: the client it names", []*net.IPNet{proxies}, "10.0.0.2:5000", "198.51.100.1", "198.51.100.1"},
		{"right to left: the client's own prefix is skipped", []*net.IPNet{proxies}, "10.0.0.2:5000", "192.0.2.66, 198.51.100.1", "198.51.100.1"},
		{"trusted hops are skipped", []*net.IPNet{proxies}, "10.0.0.2:5000", "198.51.100.1, 10.0.0.3", "198.51.100.1"},
		{"not from a trusted proxy: the header is ignored", []*net.IPNet{proxies}, "203.0.113.9:5000", "198.51.100.1", "203.0.113.9"},
		{"private ranges are not trusted unless listed", []*net.IPNet{proxies}, "192.168.1.1:5000", "198.51.100.1", "192.168.1.1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = c.remote
			r.Header.Set("X-Forwarded-For", c.xff)
			assert.Equal(t, c.want, clientIP(c.trusted)(r))
		})
	}
}

func TestHashedSessionStoreNeverStoresTheToken(t *testing.T) {
	inner := memstore.NewWithCleanupInterval(0)
	s := HashedSessionStore{Store: inner}
	require.NoError(t, s.Commit("the-token", []byte("data"), time.Now().Add(time.Hour)))
	_, found, err := inner.Find("the-token")
	require.NoError(t, err)
	assert.False(t, found, "the raw token is not a key")
	b, found, err := s.Find("the-token")
	require.NoError(t, err)
	assert.True(t, found)
	assert.Equal(t, []byte("data"), b)
	require.NoError(t, s.Delete("the-token"))
	_, found, err = s.Find("the-token")
	require.NoError(t, err)
	assert.False(t, found)
}
