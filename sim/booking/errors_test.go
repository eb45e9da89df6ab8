package booking_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"callbacklab/sim/booking"
)

// newBareService is a service for error answers: nothing is ever processed.
func newBareService(t *testing.T) *booking.Service {
	t.Helper()
	svc, err := booking.New(booking.Config{
		Clients: []booking.Client{{ID: "travel", Token: siteToken,
			Origins: []string{"http://127.0.0.1:8080"}, Secret: kaSecret}},
		Delay: time.Hour, HTTPClient: memClient(http.NotFoundHandler()),
	})
	require.NoError(t, err, "New must accept a plain configuration")
	t.Cleanup(func() { svc.Close() })
	return svc
}

// TestServiceMethodNotAllowedSaysAllow checks that a 405 names the methods
// that do work in an Allow header, as RFC 9110 section 15.5.6 requires.
func TestServiceMethodNotAllowedSaysAllow(t *testing.T) {
	tests := []struct {
		name, method, path, wantAllow string
	}{
		{"GetBookings", http.MethodGet, "/bookings", "POST"},
		{"DeleteBookings", http.MethodDelete, "/bookings", "POST"},
		{"PostOneBooking", http.MethodPost, "/bookings/bk_1", "GET"},
		{"PutOneBooking", http.MethodPut, "/bookings/bk_1", "GET"},
	}
	svc := newBareService(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			svc.ServeHTTP(w, httptest.NewRequest(tt.method, tt.path, nil))
			assert.Equal(t, http.StatusMethodNotAllowed, w.Code, "%s %s", tt.method, tt.path)
			assert.Equal(t, tt.wantAllow, w.Header().Get("Allow"),
				"a 405 must say in Allow which method works")
			var p struct{ Status int }
			require.NoError(t, json.Unmarshal(w.Body.Bytes(), &p), "the body is a problem object")
			assert.Equal(t, http.StatusMethodNotAllowed, p.Status, "the problem repeats the status")
		})
	}
}

// TestServiceBearerChallenge checks the WWW-Authenticate challenge of RFC
// 6750 section 3.1: the realm alone when no token was sent, and
// error="invalid_token" when a token was sent but is not known.
func TestServiceBearerChallenge(t *testing.T) {
	tests := []struct {
		name, auth, want string
	}{
		{"NoHeader", "", `Bearer realm="book_ticket"`},
		{"OtherScheme", "Basic dHJhdmVsOnNlY3JldA==", `Bearer realm="book_ticket"`},
		{"EmptyBearer", "Bearer ", `Bearer realm="book_ticket"`},
		{"WrongToken", "Bearer wrong-token-0123456789",
			`Bearer realm="book_ticket", error="invalid_token", ` +
				`error_description="the token is not known"`},
		{"WrongTokenLowercaseScheme", "bearer wrong-token-0123456789",
			`Bearer realm="book_ticket", error="invalid_token", ` +
				`error_description="the token is not known"`},
	}
	svc := newBareService(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, route := range [][2]string{{"GET", "/bookings/bk_1"}, {"POST", "/bookings"}} {
				r := httptest.NewRequest(route[0], route[1], strings.NewReader("{}"))
				r.Header.Set("Content-Type", "application/json")
				if tt.auth != "" {
					r.Header.Set("Authorization", tt.auth)
				}
				w := httptest.NewRecorder()
				svc.ServeHTTP(w, r)
				assert.Equal(t, http.StatusUnauthorized, w.Code, "%s %s with Authorization %q",
					route[0], route[1], tt.auth)
				assert.Equal(t, tt.want, w.Header().Get("WWW-Authenticate"),
					"%s %s: the challenge must follow RFC 6750 section 3.1", route[0], route[1])
			}
		})
	}
}
