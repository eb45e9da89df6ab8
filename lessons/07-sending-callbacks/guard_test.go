package sending

import (
	"context"
	"errors"
	"net/http"
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckAddr(t *testing.T) {
	t.Parallel()
	forbidden := map[string]string{
		"127.0.0.1":        "loopback",
		"127.5.5.5":        "loopback (all of 127.0.0.0/8)",
		"::1":              "IPv6 loopback",
		"10.0.0.8":         "private (10.0.0.0/8)",
		"172.16.3.4":       "private (172.16.0.0/12)",
		"192.168.1.1":      "private (192.168.0.0/16)",
		"fd12:3456::1":     "private IPv6 (fc00::/7)",
		"169.254.169.254":  "link-local: the cloud metadata service",
		"fe80::1":          "IPv6 link-local",
		"0.0.0.0":          "unspecified",
		"::":               "IPv6 unspecified",
		"224.0.0.1":        "multicast",
		"ff02::1":          "IPv6 multicast",
		"100.64.0.1":       "carrier-grade NAT (100.64.0.0/10)",
		"::ffff:127.0.0.1": "IPv4 loopback written as IPv6",
		"::ffff:10.0.0.1":  "IPv4 private address written as IPv6",
	}
	allowed := []string{"93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1",
		"2606:4700:4700::1111"}

	for addr, why := range forbidden {
		t.Run("refuses_"+addr, func(t *testing.T) {
			t.Parallel()
			err := CheckAddr(netip.MustParseAddr(addr))
			assert.ErrorIs(t, err, ErrForbiddenAddress, "CheckAddr(%s) must refuse it with an "+
				"error wrapping ErrForbiddenAddress: it is %s", addr, why)
		})
	}
	for _, addr := range allowed {
		t.Run("allows_"+addr, func(t *testing.T) {
			t.Parallel()
			assert.NoError(t, CheckAddr(netip.MustParseAddr(addr)), "CheckAddr(%s) must allow "+
				"a public address", addr)
		})
	}
	t.Run("refuses_the_zero_Addr", func(t *testing.T) {
		t.Parallel()
		assert.ErrorIs(t, CheckAddr(netip.Addr{}), ErrForbiddenAddress,
			"CheckAddr(netip.Addr{}) must refuse what is not an address")
	})
}

func TestCheckURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url     string
		wantErr error // nil: allowed; errAny: any error
		reason  string
	}{
		{url: "https://travel.example/booking/callback", reason: "a public name"},
		{url: "http://travel.example:8080/booking/callback?site=3", reason: "a public name"},
		{url: "https://93.184.215.14/booking/callback", reason: "a public address"},
		{url: "http://127.0.0.1:8080/booking/callback", wantErr: ErrForbiddenAddress,
			reason: "loopback"},
		{url: "http://localhost/booking/callback", wantErr: ErrForbiddenAddress,
			reason: "localhost is loopback"},
		{url: "http://api.LOCALHOST/booking/callback", wantErr: ErrForbiddenAddress,
			reason: "names under .localhost are loopback"},
		{url: "http://[::1]:8080/booking/callback", wantErr: ErrForbiddenAddress,
			reason: "IPv6 loopback"},
		{url: "http://169.254.169.254/latest/meta-data/", wantErr: ErrForbiddenAddress,
			reason: "the cloud metadata service"},
		{url: "http://[::ffff:127.0.0.1]/booking/callback", wantErr: ErrForbiddenAddress,
			reason: "loopback written as IPv6"},
		{url: "http://0.0.0.0:8080/", wantErr: ErrForbiddenAddress, reason: "unspecified"},
		{url: "ftp://travel.example/booking/callback", wantErr: errAny,
			reason: "only http and https"},
		{url: "javascript:alert(1)", wantErr: errAny, reason: "only http and https"},
		{url: "https:///booking/callback", wantErr: errAny, reason: "no host"},
		{url: "travel.example/booking/callback", wantErr: errAny, reason: "no scheme"},
		{url: "https://ana:secret@travel.example/booking/callback", wantErr: errAny,
			reason: "a user name and password in a callback URL"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			t.Parallel()
			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("CheckURL(%q) panicked: %v", tt.url, r)
					}
				}()
				err = CheckURL(tt.url)
			}()
			switch tt.wantErr {
			case nil:
				assert.NoError(t, err, "CheckURL(%q) must allow it: %s", tt.url, tt.reason)
			case errAny:
				assert.Error(t, err, "CheckURL(%q) must refuse it: %s", tt.url, tt.reason)
			default:
				assert.ErrorIs(t, err, tt.wantErr, "CheckURL(%q) must refuse it with an error "+
					"wrapping %v: %s; got %v", tt.url, tt.wantErr, tt.reason, err)
			}
		})
	}
}

// errAny stands for "some error" in tables.
var errAny = errors.New("any error")

func TestControl(t *testing.T) {
	t.Parallel()
	tests := []struct {
		address string
		allowed bool
	}{
		{address: "127.0.0.1:443"},
		{address: "[::1]:80"},
		{address: "10.0.0.8:80"},
		{address: "[fe80::1%eth0]:80"},
		{address: "169.254.169.254:80"},
		{address: "not-an-address"},
		{address: "93.184.215.14:443", allowed: true},
		{address: "[2606:4700:4700::1111]:443", allowed: true},
	}
	for _, tt := range tests {
		t.Run(tt.address, func(t *testing.T) {
			t.Parallel()
			err := Control("tcp", tt.address, nil)
			if tt.allowed {
				assert.NoError(t, err, "Control(\"tcp\", %q, nil) must allow a public address",
					tt.address)
				return
			}
			assert.ErrorIs(t, err, ErrForbiddenAddress, "Control(\"tcp\", %q, nil) runs after "+
				"the name was resolved, just before connecting; it must refuse this address "+
				"with an error wrapping ErrForbiddenAddress", tt.address)
		})
	}
}

func TestGuardedClient(t *testing.T) {
	t.Parallel()
	c := GuardedClient()
	require.NotNil(t, c, "GuardedClient() returned nil")

	req, _ := http.NewRequest(http.MethodGet, "https://travel.example/moved", nil)
	require.NotNil(t, c.CheckRedirect, "GuardedClient must set CheckRedirect: by default an "+
		"http.Client follows redirects, wherever they point")
	assert.ErrorIs(t, c.CheckRedirect(req, []*http.Request{req}), http.ErrUseLastResponse,
		"GuardedClient's CheckRedirect must return http.ErrUseLastResponse, so the 3xx "+
			"answer itself comes back")

	// The dialer must refuse loopback before connecting. Port 1 on this machine has no
	// server, so a client without the guard fails differently, at once.
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	req, _ = http.NewRequestWithContext(ctx, http.MethodGet, "http://127.0.0.1:1/", nil)
	res, err := c.Do(req)
	if err == nil {
		res.Body.Close()
	}
	assert.ErrorIs(t, err, ErrForbiddenAddress, "a GET of http://127.0.0.1:1/ through "+
		"GuardedClient must fail with an error wrapping ErrForbiddenAddress: give the "+
		"transport a net.Dialer whose Control is your Control function; got %v", err)
}
