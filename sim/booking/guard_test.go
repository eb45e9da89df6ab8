package booking_test

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"callbacklab/sim/booking"
)

func TestGuardCheckURL(t *testing.T) {
	sandbox := booking.Guard{Allow: []netip.AddrPort{netip.MustParseAddrPort("127.0.0.1:8080")}}
	tests := []struct {
		name   string
		url    string
		wantOK bool
	}{
		{"cloudMetadata", "http://169.254.169.254/latest/meta-data/", false},
		{"privateTen", "http://10.0.0.5/", false},
		{"loopbackV6", "http://[::1]/", false},
		{"unspecified", "http://0.0.0.0/", false},
		{"ipv4Mapped", "http://[::ffff:127.0.0.1]:8080/", false},
		{"ipv4MappedMetadata", "http://[::ffff:169.254.169.254]/", false},
		{"fileScheme", "file:///etc/passwd", false},
		{"gopherScheme", "gopher://127.0.0.1:8080/", false},
		{"localhostOtherPort", "http://localhost:9999/", false},
		{"loopbackOtherPort", "http://127.0.0.1:9999/booking/callback", false},
		{"userinfo", "http://user:pw@127.0.0.1:8080/", false},
		{"noHost", "http:///path", false},
		{"sandbox", "http://127.0.0.1:8080/booking/callback", true},
		{"publicName", "https://travel.example/booking/callback", true},
		{"publicAddress", "http://93.184.215.14/", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sandbox.CheckURL(tt.url)
			if tt.wantOK {
				assert.NoError(t, err, "CheckURL(%q) should be allowed", tt.url)
			} else {
				assert.Error(t, err, "CheckURL(%q) should be refused", tt.url)
			}
		})
	}
}

func TestGuardControlChecksDialledAddress(t *testing.T) {
	g := booking.Guard{Allow: []netip.AddrPort{netip.MustParseAddrPort("[::1]:0")}}
	assert.NoError(t, g.Control("tcp6", "[::1]:443", nil),
		"port 0 on the allow-list allows every port")
	assert.ErrorIs(t, g.Control("tcp4", "169.254.169.254:80", nil), booking.ErrBlockedAddress,
		"a name that resolves to the metadata address should be refused when dialled")
	assert.ErrorIs(t, g.Control("tcp4", "192.168.1.1:80", nil), booking.ErrBlockedAddress)
	assert.NoError(t, g.Control("tcp4", "93.184.215.14:80", nil), "public addresses are fine")
}

func TestGuardClientRefusesToDialInternalAddresses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	ap := netip.MustParseAddrPort(strings.TrimPrefix(srv.URL, "http://"))

	_, err := booking.Guard{}.Client(time.Second).Get(srv.URL)
	assert.ErrorIs(t, err, booking.ErrBlockedAddress,
		"without an allow-list the dialer must refuse loopback")

	// A name that resolves to loopback is caught at dial time as well.
	_, err = booking.Guard{}.Client(time.Second).Get(
		strings.Replace(srv.URL, "127.0.0.1", "localhost", 1))
	assert.ErrorIs(t, err, booking.ErrBlockedAddress, "localhost resolves to loopback")

	res, err := booking.Guard{Allow: []netip.AddrPort{ap}}.Client(time.Second).Get(srv.URL)
	require.NoError(t, err, "an allow-listed sandbox address may be called")
	res.Body.Close()
	assert.Equal(t, http.StatusNoContent, res.StatusCode)

	// The sender gives up at once on a refused address: retrying cannot help.
	signer, _ := booking.NewSigner(kaSecret)
	s := &booking.Sender{Client: booking.Guard{}.Client(time.Second), Signer: signer}
	d := s.Deliver(t.Context(), booking.Message{ID: "msg_1", URL: srv.URL, Body: []byte("{}")})
	assert.Equal(t, booking.StateFailed, d.State)
	assert.Len(t, d.Attempts, 1, "a refused address is not retried")
}
