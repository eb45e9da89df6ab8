// Package receiving is lesson 6 of callbacklab: the travel site's /booking/callback handler,
// which receives book_ticket's outcome over HTTP. It verifies the Standard Webhooks signature
// over the raw body, refuses stale and future timestamps, acts on each webhook-id once, and
// answers 204 before it hands the outcome on.
package receiving

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// Tolerance is how far a webhook's timestamp may be from the receiver's clock, in either
// direction, before the message is refused as a possible replay.
const Tolerance = 5 * time.Minute

// MaxBodyBytes is the largest body the handler reads; a larger one is answered with 413.
const MaxBodyBytes = 64 << 10

// Event is the message book_ticket POSTs when a booking's work is done, such as
//
//	{"type": "booking.confirmed", "timestamp": "2026-12-24T08:15:02Z",
//	 "data": {"booking_id": "bk_7f3a...", "status": "confirmed", "from": "Lisbon", ...}}
type Event struct {
	// Type is "booking.confirmed", "booking.payment_failed" or "booking.sold_out".
	Type string `json:"type"`
	// Timestamp is when book_ticket decided the outcome.
	Timestamp time.Time `json:"timestamp"`
	// Data describes the booking.
	Data Outcome `json:"data"`
}

// Outcome is the booking an [Event] is about, and how it ended.
type Outcome struct {
	// BookingID is the id book_ticket gave the booking when it accepted it.
	BookingID string `json:"booking_id"`
	// Status is "confirmed", "payment_failed" or "sold_out".
	Status string `json:"status"`
	// Reason says why a booking failed, such as "the card was declined".
	Reason string `json:"reason,omitempty"`
	// From, To, Date and Time repeat the journey that was booked.
	From string `json:"from"`
	To   string `json:"to"`
	Date string `json:"date"`
	Time string `json:"time"`
}

// Receiver is the http.Handler for book_ticket's callbacks. Build one with [NewReceiver].
type Receiver struct {
	wh      *standardwebhooks.Webhook
	now     func() time.Time
	deliver func(Event)

	mu sync.Mutex
	// TODO: seen keeps every webhook id for the life of the process, so memory grows with
	// each callback; a real site stores ids with the outcome in its database and forgets
	// them once the sender's retries are over.
	seen map[string]bool // webhook ids already accepted

	work sync.WaitGroup // deliveries still running
}

// NewReceiver returns a Receiver that checks signatures with secret, a Standard Webhooks
// secret such as "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", and judges timestamps by now
// (time.Now when nil). For every new event it calls deliver once, after the answer has been
// written, never while book_ticket waits. It returns an error when secret is not "whsec_"
// followed by base64, or when deliver is nil.
func NewReceiver(secret string, now func() time.Time, deliver func(Event)) (*Receiver, error) {
	if deliver == nil {
		return nil, errors.New("receiving: deliver must not be nil")
	}
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		return nil, fmt.Errorf("receiving: secret must be \"whsec_\" followed by base64: %w", err)
	}
	if now == nil {
		now = time.Now
	}
	return &Receiver{wh: wh, now: now, deliver: deliver, seen: map[string]bool{}}, nil
}

// ServeHTTP handles one POST from book_ticket. It answers:
//   - 405 to any method but POST;
//   - 413 to a body larger than [MaxBodyBytes];
//   - 401 when a webhook header is missing or malformed, the timestamp is more than
//     [Tolerance] away from now, or no signature matches;
//   - 400 when a correctly signed body is not an [Event] in JSON;
//   - 204 to a genuine message, whether it is new or a duplicate of one already seen.
//
// Only a new message reaches deliver, and only after the 204 has been written.
func (r *Receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "receiving: use POST", http.StatusMethodNotAllowed)
		return
	}

	// The raw bytes, exactly as signed, and no more than MaxBodyBytes of them.
	body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, MaxBodyBytes))
	if err != nil {
		if _, tooBig := errors.AsType[*http.MaxBytesError](err); tooBig {
			http.Error(w, "receiving: body too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "receiving: could not read the body", http.StatusBadRequest)
		return
	}

	// Authenticate before parsing anything.
	if err := r.verify(req.Header, body); err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	var ev Event
	if err := json.Unmarshal(body, &ev); err != nil {
		http.Error(w, "receiving: the body is not a booking event in JSON", http.StatusBadRequest)
		return
	}

	// Check and record the id in one step, so two copies at once cannot both be new.
	id := req.Header.Get(standardwebhooks.HeaderWebhookID)
	r.mu.Lock()
	isNew := !r.seen[id]
	r.seen[id] = true
	r.mu.Unlock()

	// Answer now; the work happens after, on its own goroutine.
	w.WriteHeader(http.StatusNoContent)
	if isNew {
		r.work.Go(func() { r.deliver(ev) })
	}
}

// verify checks the webhook headers and the signature over the raw body, judging the
// timestamp by the receiver's own clock.
func (r *Receiver) verify(h http.Header, body []byte) error {
	id := h.Get(standardwebhooks.HeaderWebhookID)
	ts := h.Get(standardwebhooks.HeaderWebhookTimestamp)
	sig := h.Get(standardwebhooks.HeaderWebhookSignature)
	if id == "" || ts == "" || sig == "" {
		return errors.New("receiving: webhook-id, webhook-timestamp and webhook-signature " +
			"are required")
	}
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errors.New("receiving: webhook-timestamp must be Unix seconds")
	}
	if d := r.now().Sub(time.Unix(secs, 0)); d > Tolerance || d < -Tolerance {
		return errors.New("receiving: webhook-timestamp is outside the five-minute window")
	}

	// The library would judge the timestamp by the real clock; ours is injected.
	if err := r.wh.VerifyIgnoringTimestamp(body, h); err != nil {
		return errors.New("receiving: no webhook signature matches")
	}
	return nil
}

// Wait blocks until every event accepted so far has been handed to deliver and deliver has
// returned. Tests and a server shutting down call it.
func (r *Receiver) Wait() {
	r.work.Wait()
}
