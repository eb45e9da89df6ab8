package receiving

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"callbacklab/sim/booking"
)

// secret is the Standard Webhooks secret that the travel site and book_ticket share.
const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// otherSecret is a secret an attacker might use instead.
const otherSecret = "whsec_c2VjcmV0LW9mLXNvbWVib2R5LWVsc2UtMTIzNDU2"

// sentAt is the receiver's clock in the tests that do not use synctest.
var sentAt = time.Date(2026, 12, 24, 8, 15, 0, 0, time.UTC)

// confirmedBody is an event as book_ticket sends it.
var confirmedBody = []byte(`{"type":"booking.confirmed","timestamp":"2026-12-24T08:15:00Z",` +
	`"data":{"booking_id":"bk_7f3a","status":"confirmed","from":"Lisbon","to":"Porto",` +
	`"date":"2026-12-24","time":"09:30"}}`)

// inbox is a deliver callback that remembers the events it was given. It is safe for
// concurrent use.
type inbox struct {
	mu     sync.Mutex
	events []Event
}

func (b *inbox) deliver(ev Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.events = append(b.events, ev)
}

func (b *inbox) got() []Event {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]Event(nil), b.events...)
}

// newReceiver builds the learner's Receiver with a fixed clock at sentAt (or time.Now when
// now is nil) and an inbox for what it delivers.
func newReceiver(t *testing.T, now func() time.Time) (*Receiver, *inbox) {
	t.Helper()
	box := &inbox{}
	var r *Receiver
	var err error
	noPanic(t, "NewReceiver", func() { r, err = NewReceiver(secret, now, box.deliver) })
	require.NoError(t, err, "NewReceiver(%q, now, deliver) must accept a valid secret", secret)
	require.NotNil(t, r, "NewReceiver returned a nil *Receiver and no error")
	return r, box
}

// fixedClock returns a clock that always says t.
func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

// signed returns the three webhook headers for one message, signed with key at the given time,
// exactly as the simulated book_ticket signs them.
func signed(t *testing.T, key, id string, at time.Time, body []byte) http.Header {
	t.Helper()
	s, err := booking.NewSigner(key)
	require.NoError(t, err, "test setup: the secret must be valid")
	h := s.Headers(id, at, body)
	h.Set("Content-Type", "application/json")
	return h
}

// post sends one request straight to the handler, in memory, and returns the recorded answer.
// A panic in the handler becomes a test failure instead of crashing every test.
func post(
	t *testing.T, h http.Handler, method string, hdr http.Header, body []byte,
) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, "https://travel.example/booking/callback",
		bytes.NewReader(body))
	for k, v := range hdr {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	noPanic(t, "ServeHTTP", func() { h.ServeHTTP(rec, req) })
	return rec
}

// noPanic runs f and turns a panic into a test failure that names what panicked.
func noPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("%s panicked: %v\nFix the panic first: a handler must answer every "+
				"request, even a hostile one.", what, r)
		}
	}()
	f()
}
