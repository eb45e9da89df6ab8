package booking_test

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"

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
