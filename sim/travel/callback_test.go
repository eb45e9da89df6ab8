package travel_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"callbacklab/sim/booking"
	"callbacklab/sim/travel"
)

const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

var now = time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)

// origin is where the test sites are served.
const origin = "http://127.0.0.1:8080"

func newSite(t *testing.T) *travel.Site {
	t.Helper()
	s, err := travel.New(travel.Config{
		Origin: "http://127.0.0.1:8080", BookingURL: "http://127.0.0.1:8082",
		BookingToken: "token-0123456789abcdef", WebhookSecret: secret,
		Now: func() time.Time { return now },
	})
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

// deliver posts a callback signed with key at sent.
func deliver(t *testing.T, s http.Handler, key, id string, sent time.Time) int {
	t.Helper()
	body, _ := json.Marshal(booking.Event{Type: "booking.confirmed",
		Data: booking.EventData{BookingID: "bk_1", Status: booking.Confirmed}})
	signer, err := booking.NewSigner(key)
	require.NoError(t, err)
	r := httptest.NewRequest("POST", origin+"/booking/callback", bytes.NewReader(body))
	for k, v := range signer.Headers(id, sent, body) {
		r.Header[k] = v
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w.Code
}

func TestBookingCallbackReceiver(t *testing.T) {
	tests := []struct {
		name       string
		key        string
		sent       time.Time
		wantStatus int
	}{
		{"fresh", secret, now, http.StatusNoContent},
		{"fiveMinutesOld", secret, now.Add(-5 * time.Minute), http.StatusNoContent},
		{"sixMinutesOld", secret, now.Add(-6 * time.Minute), http.StatusUnauthorized},
		{"sixMinutesAhead", secret, now.Add(6 * time.Minute), http.StatusUnauthorized},
		{"wrongSecret", "whsec_c2VjcmV0IG9mIGFuIGF0dGFja2Vy", now, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t)
			got := deliver(t, s, tt.key, "msg_"+tt.name, tt.sent)
			assert.Equal(t, tt.wantStatus, got, "answer to a delivery signed %s", tt.name)
		})
	}
}

func TestBookingCallbackProcessedOnce(t *testing.T) {
	s := newSite(t)
	assert.Equal(t, http.StatusNoContent, deliver(t, s, secret, "msg_1", now))
	assert.Equal(t, http.StatusOK, deliver(t, s, secret, "msg_1", now.Add(time.Second)),
		"a second delivery of the same id is acknowledged with 2xx so the sender stops")
	assert.Equal(t, http.StatusNoContent, deliver(t, s, secret, "msg_2", now))
	st := s.Stats()
	assert.Equal(t, 2, st.Processed, "two distinct ids processed")
	assert.Equal(t, 1, st.Duplicates, "the repeat recognised")
}

func TestBookingCallbackReceiverDown(t *testing.T) {
	s := newSite(t)
	s.SetReceiverDown(1)
	assert.Equal(t, http.StatusServiceUnavailable, deliver(t, s, secret, "msg_1", now))
	assert.Equal(t, http.StatusNoContent, deliver(t, s, secret, "msg_1", now),
		"the retry after the outage is processed")
	assert.Equal(t, 1, s.Stats().Processed)
}

func FuzzBookingCallback(f *testing.F) {
	f.Add([]byte(`{"type":"booking.confirmed","data":{"booking_id":"bk_1"}}`), "msg_1", "0")
	f.Add([]byte(`{`), "", "x")
	s, err := travel.New(travel.Config{
		Origin: "http://127.0.0.1:8080", BookingURL: "http://127.0.0.1:8082",
		BookingToken: "token-0123456789abcdef", WebhookSecret: secret,
	})
	require.NoError(f, err)
	defer s.Close()
	f.Fuzz(func(t *testing.T, body []byte, id, ts string) {
		r := httptest.NewRequest("POST", origin+"/booking/callback", bytes.NewReader(body))
		r.Header.Set("webhook-id", id)
		r.Header.Set("webhook-timestamp", ts)
		r.Header.Set("webhook-signature", "v1,AAAA")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != http.StatusBadRequest && w.Code != http.StatusUnauthorized {
			t.Fatalf("an unsigned callback got %d; want 400 or 401", w.Code)
		}
	})
}

func FuzzAuthCallback(f *testing.F) {
	f.Add("code=abc&state=xyz&iss=http%3A%2F%2F127.0.0.1%3A8081%2Fgoogle", "xyz")
	f.Add("error=access_denied&state=", "")
	f.Add("state=%zz", "\x00")
	s := newFuzzSite(f)
	f.Fuzz(func(t *testing.T, query, cookie string) {
		r := httptest.NewRequest("GET", origin+"/auth/callback", nil)
		r.URL.RawQuery = query
		r.AddCookie(&http.Cookie{Name: "travel_state", Value: sanitizeCookie(cookie)})
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != http.StatusBadRequest {
			t.Fatalf("a sign-in response with an unknown state got %d; want 400", w.Code)
		}
	})
}

func FuzzBookForm(f *testing.F) {
	f.Add("name=Alice&email=a%40b.c&date=2026-12-24")
	f.Add("%%%")
	s := newFuzzSite(f)
	f.Fuzz(func(t *testing.T, form string) {
		r := httptest.NewRequest("POST", origin+"/travel/book", strings.NewReader(form))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Origin", origin)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		switch w.Code {
		case http.StatusSeeOther, http.StatusBadRequest, http.StatusUnprocessableEntity:
		default:
			t.Fatalf("a signed-out booking got %d; want a redirect to sign in, 400 or 422",
				w.Code)
		}
	})
}

func newFuzzSite(f *testing.F) *travel.Site {
	s, err := travel.New(travel.Config{
		Origin: "http://127.0.0.1:8080", BookingURL: "http://127.0.0.1:8082",
		BookingToken: "token-0123456789abcdef", WebhookSecret: secret,
	})
	require.NoError(f, err)
	f.Cleanup(func() { s.Close() })
	return s
}

// sanitizeCookie keeps the bytes a cookie value may hold.
func sanitizeCookie(v string) string {
	return strings.Map(func(r rune) rune {
		if r <= 0x20 || r >= 0x7f || r == '"' || r == ';' || r == '\\' || r == ',' {
			return -1
		}
		return r
	}, v)
}
