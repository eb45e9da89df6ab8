// Package capstone is lesson 9 of callbacklab, the whole story: a traveller signs in with
// Google (mock), books a ticket on the travel site, the site hands the booking to book_ticket
// with its callback URL, and book_ticket's signed callback brings the outcome back to the
// traveller who booked, once.
package capstone

import (
	"context"
	"net/http"
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
//
// The fields below are a suggestion; change them as you like.
type Site struct {
	cfg  Config
	auth *signIn
	wh   *standardwebhooks.Webhook

	mu       sync.Mutex
	bookings map[string]*booked // by booking id
	seen     map[string]bool    // webhook ids already accepted

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
	// Your code here: check the booking fields of cfg, decode the webhook secret, and make
	// the maps.
	return &Site{cfg: cfg, auth: auth}, nil
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
	// Your code here: wait for the OnOutcome calls that callback started.
}

// book sends a signed-in traveller's booking form to book_ticket with the site's callback
// URL, and answers 202 with the booking id.
func (s *Site) book(w http.ResponseWriter, r *http.Request) {
	// Your code here: only a signed-in traveller (s.auth.user(r)) may book. POST the form to
	// book_ticket as JSON with your callback URL, then remember whose booking it is.
	notWritten(w, "book")
}

// callback receives book_ticket's signed outcome: verify, record once, answer, then tell the
// traveller.
func (s *Site) callback(w http.ResponseWriter, r *http.Request) {
	// Your code here: lesson 6 again, and then find the booking and tell its traveller.
	notWritten(w, "callback")
}

// status shows a traveller one of their own bookings.
func (s *Site) status(w http.ResponseWriter, r *http.Request) {
	// Your code here: the signed-in traveller's own booking, or 404.
	notWritten(w, "status")
}

// notWritten answers 501 for a handler that is still to be written.
func notWritten(w http.ResponseWriter, name string) {
	http.Error(w, "capstone: "+name+" is not written yet (open site.go)",
		http.StatusNotImplemented)
}
