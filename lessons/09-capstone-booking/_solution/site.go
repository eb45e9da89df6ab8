// Package capstone is lesson 9 of callbacklab, the whole story: a traveller signs in with
// Google (mock), books a ticket on the travel site, the site hands the booking to book_ticket
// with its callback URL, and book_ticket's signed callback brings the outcome back to the
// traveller who booked, once.
package capstone

import (
	"bytes"
	"context"
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

// Tolerance is how far a callback's webhook-timestamp may be from the site's clock.
const Tolerance = 5 * time.Minute

// Config is everything the travel site depends on.
type Config struct {
	// Origin is where the site is served, such as "http://127.0.0.1:8080". Its callback URL
	// for book_ticket is Origin + "/booking/callback".
	Origin string
	// Issuer, ClientID and ClientSecret sign travellers in with Google (mock).
	Issuer       string
	ClientID     string
	ClientSecret string
	// BookingURL is book_ticket's origin, such as "http://127.0.0.1:8082".
	BookingURL string
	// BookingToken is the site's bearer token at book_ticket.
	BookingToken string
	// WebhookSecret is the "whsec_" secret that book_ticket signs callbacks with.
	WebhookSecret string
	// HTTPClient makes every request the site sends: to the provider and to book_ticket.
	HTTPClient *http.Client
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// OnOutcome pushes an outcome to the traveller who booked, such as to their open page.
	// The site calls it once per booking, after answering the callback. nil means nobody
	// is told.
	OnOutcome func(User, Outcome)
}

// Outcome is where a booking stands, as the traveller sees it.
type Outcome struct {
	// BookingID is book_ticket's id for the booking, such as "bk_7f3a...".
	BookingID string `json:"booking_id"`
	// Status is "pending", then "confirmed", "payment_failed" or "sold_out".
	Status string `json:"status"`
	// Reason says why a booking failed.
	Reason string `json:"reason,omitempty"`
}

// Site is the travel site. Build one with [New] and serve [Site.Handler].
type Site struct {
	cfg  Config
	auth *signIn
	wh   *standardwebhooks.Webhook

	mu       sync.Mutex
	bookings map[string]*booked // by booking id
	// TODO: bookings and seen live in memory and grow with every booking; a real site keeps
	// them in its database and so also survives a restart.
	seen map[string]bool // webhook ids already accepted

	work sync.WaitGroup // OnOutcome calls still running
}

// booked is one booking the site made, and whose it is.
type booked struct {
	owner   User
	outcome Outcome
}

// New checks cfg, finds the provider, and returns the site. It returns an error when a field
// is missing, the webhook secret is not "whsec_" and base64, or the provider cannot be found.
func New(ctx context.Context, cfg Config) (*Site, error) {
	auth, err := newSignIn(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if cfg.BookingURL == "" || cfg.BookingToken == "" {
		return nil, errors.New("capstone: BookingURL and BookingToken are required")
	}
	wh, err := standardwebhooks.NewWebhook(cfg.WebhookSecret)
	if err != nil {
		return nil, fmt.Errorf("capstone: WebhookSecret must be \"whsec_\" and base64: %w", err)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Site{
		cfg: cfg, auth: auth, wh: wh,
		bookings: map[string]*booked{}, seen: map[string]bool{},
	}, nil
}

// Handler returns the site's routes:
//
//	GET  /login              start signing in (given)
//	GET  /auth/callback      finish signing in (given)
//	POST /book               book a ticket: 202 {"booking_id", "status": "pending"}
//	POST /booking/callback   book_ticket's signed outcome: 204
//	GET  /bookings/{id}      the traveller's own booking: 200 Outcome as JSON
func (s *Site) Handler() http.Handler {
	mux := http.NewServeMux()
	s.auth.routes(mux)
	mux.HandleFunc("POST /book", s.book)
	mux.HandleFunc("POST /booking/callback", s.callback)
	mux.HandleFunc("GET /bookings/{id}", s.status)
	return mux
}

// Wait blocks until every OnOutcome call started so far has returned.
func (s *Site) Wait() {
	s.work.Wait()
}

// book sends a signed-in traveller's booking form to book_ticket with the site's callback
// URL, and answers 202 with the booking id.
func (s *Site) book(w http.ResponseWriter, r *http.Request) {
	user, ok := s.auth.user(r)
	if !ok {
		http.Error(w, "capstone: sign in first, at /login", http.StatusUnauthorized)
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "capstone: the booking form does not read", http.StatusBadRequest)
		return
	}

	// The form, and where to call back.
	f := r.PostForm
	body, _ := json.Marshal(map[string]string{
		"name": f.Get("name"), "email": f.Get("email"), "phone": f.Get("phone"),
		"from": f.Get("from"), "to": f.Get("to"), "date": f.Get("date"), "time": f.Get("time"),
		"ticket_type": f.Get("ticket_type"), "callback_url": s.cfg.Origin + "/booking/callback",
	})
	req, err := http.NewRequestWithContext(r.Context(), http.MethodPost,
		s.cfg.BookingURL+"/bookings", bytes.NewReader(body))
	if err != nil {
		http.Error(w, "capstone: book_ticket's URL is wrong", http.StatusInternalServerError)
		return
	}
	req.Header.Set("Authorization", "Bearer "+s.cfg.BookingToken)
	req.Header.Set("Content-Type", "application/json")
	res, err := s.cfg.HTTPClient.Do(req)
	if err != nil {
		http.Error(w, "capstone: book_ticket did not answer", http.StatusBadGateway)
		return
	}
	defer res.Body.Close()

	// 400 passes book_ticket's field errors on; 202 records the booking as the traveller's.
	switch res.StatusCode {
	case http.StatusBadRequest:
		w.Header().Set("Content-Type", res.Header.Get("Content-Type"))
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.Copy(w, io.LimitReader(res.Body, 64<<10))
		return
	case http.StatusAccepted:
	default:
		http.Error(w, fmt.Sprintf("capstone: book_ticket answered %d", res.StatusCode),
			http.StatusBadGateway)
		return
	}
	var created struct {
		ID string `json:"id"`
	}
	if err := json.NewDecoder(io.LimitReader(res.Body, 64<<10)).Decode(&created); err != nil ||
		created.ID == "" {
		http.Error(w, "capstone: book_ticket's answer does not read", http.StatusBadGateway)
		return
	}
	o := Outcome{BookingID: created.ID, Status: "pending"}
	s.mu.Lock()
	s.bookings[created.ID] = &booked{owner: user, outcome: o}
	s.mu.Unlock()
	writeJSON(w, http.StatusAccepted, o)
}

// callback receives book_ticket's signed outcome: verify, record once, answer, then tell the
// traveller.
func (s *Site) callback(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<10))
	if err != nil {
		http.Error(w, "capstone: the body does not read", http.StatusRequestEntityTooLarge)
		return
	}
	if err := s.verify(r.Header, body); err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	var ev struct {
		Data Outcome `json:"data"`
	}
	if err := json.Unmarshal(body, &ev); err != nil || ev.Data.BookingID == "" {
		http.Error(w, "capstone: the body is not a booking event", http.StatusBadRequest)
		return
	}

	// One step under the lock: is the booking ours, is the message new, record it.
	id := r.Header.Get(standardwebhooks.HeaderWebhookID)
	s.mu.Lock()
	b, known := s.bookings[ev.Data.BookingID]
	isNew := known && !s.seen[id]
	if isNew {
		s.seen[id] = true
		if b.outcome.Status == "pending" { // an outcome is final: it never changes again
			b.outcome = ev.Data
		} else {
			isNew = false
		}
	}
	var owner User
	var o Outcome
	if known {
		owner, o = b.owner, b.outcome
	}
	s.mu.Unlock()
	if !known {
		http.Error(w, "capstone: no such booking here", http.StatusNotFound)
		return
	}

	w.WriteHeader(http.StatusNoContent)
	if isNew && s.cfg.OnOutcome != nil {
		s.work.Go(func() { s.cfg.OnOutcome(owner, o) })
	}
}

// verify checks the webhook headers, the timestamp against the site's clock, and the
// signature over the raw body.
func (s *Site) verify(h http.Header, body []byte) error {
	secs, err := strconv.ParseInt(h.Get(standardwebhooks.HeaderWebhookTimestamp), 10, 64)
	if err != nil {
		return errors.New("capstone: webhook-timestamp is missing or not Unix seconds")
	}
	if d := s.cfg.Now().Sub(time.Unix(secs, 0)); d > Tolerance || d < -Tolerance {
		return errors.New("capstone: webhook-timestamp is outside the five-minute window")
	}
	if err := s.wh.VerifyIgnoringTimestamp(body, h); err != nil {
		return errors.New("capstone: the callback's signature does not match")
	}
	return nil
}

// status shows a traveller one of their own bookings.
func (s *Site) status(w http.ResponseWriter, r *http.Request) {
	user, ok := s.auth.user(r)
	if !ok {
		http.Error(w, "capstone: sign in first, at /login", http.StatusUnauthorized)
		return
	}
	s.mu.Lock()
	b, found := s.bookings[r.PathValue("id")]
	var o Outcome
	if found {
		found = b.owner.Subject == user.Subject
		o = b.outcome
	}
	s.mu.Unlock()
	if !found {
		http.Error(w, "capstone: you have no such booking", http.StatusNotFound)
		return
	}
	writeJSON(w, http.StatusOK, o)
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
