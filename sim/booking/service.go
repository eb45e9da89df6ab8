package booking

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// Client is a caller registered with book_ticket, such as the travel site.
type Client struct {
	// ID names the client in bookings and traces.
	ID string

	// Token is the bearer token the client authenticates with.
	Token string

	// Origins are the origins its callback URLs may use, such as
	// "http://127.0.0.1:8080".
	Origins []string

	// Secret is the "whsec_" secret that signs the client's callbacks.
	Secret string
}

// Outcome is how a booking ends.
type Outcome string

// The outcomes of a booking. A booking's status is [StatusPending] until
// it has one.
const (
	Confirmed     Outcome = "confirmed"
	PaymentFailed Outcome = "payment_failed"
	SoldOut       Outcome = "sold_out"
	StatusPending Outcome = "pending"
)

// Config holds everything a [Service] depends on.
type Config struct {
	// Clients are the registered callers.
	Clients []Client

	// Now is the clock; nil means time.Now.
	Now func() time.Time

	// Rand is the source of ids and jitter; nil means crypto/rand.
	Rand io.Reader

	// Delay is how long each step (seat, then payment) takes; 0 means one
	// second, a negative value means no delay.
	Delay time.Duration

	// Guard keeps callback URLs away from internal addresses.
	Guard Guard

	// HTTPClient sends callbacks; nil means Guard.Client(Policy.Timeout).
	// A custom client should refuse redirects and enforce the guard.
	HTTPClient *http.Client

	// Policy sets the callback retries.
	Policy Policy

	// MaxBookings bounds memory: beyond it the oldest finished bookings are
	// forgotten. 0 means 100,000.
	MaxBookings int
}

// Booking is one booking as book_ticket knows it.
type Booking struct {
	ID       string    `json:"id"`
	ClientID string    `json:"-"`
	Request  Request   `json:"request"`
	Status   Outcome   `json:"status"`
	Reason   string    `json:"reason,omitempty"`
	Created  time.Time `json:"created"`
	Journey  string    `json:"-"`
	Delivery Delivery  `json:"delivery"`
}

// Service is book_ticket. It is an [http.Handler]; see the package
// documentation for its routes.
type Service struct {
	cfg     Config
	clients []Client
	sender  *Sender
	handler http.Handler

	ctx    context.Context // ends when the service closes
	cancel context.CancelFunc
	work   sync.WaitGroup

	mu        sync.Mutex
	bookings  map[string]*Booking
	order     []string // booking ids, oldest first
	byMessage map[string]string
	outcome   Outcome // forced outcome, or "" to follow the rules
	duplicate bool
	disabled  map[string]bool // callback URLs that answered 410 Gone
}

// New checks cfg and returns a running Service. Call [Service.Close] to
// stop its background work.
func New(cfg Config) (*Service, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	if cfg.Delay == 0 {
		cfg.Delay = time.Second
	}
	if cfg.MaxBookings <= 0 {
		cfg.MaxBookings = 100_000
	}
	cfg.Policy = cfg.Policy.withDefaults()
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = cfg.Guard.Client(cfg.Policy.Timeout)
	}
	for _, c := range cfg.Clients {
		if c.ID == "" || len(c.Token) < 16 {
			return nil, fmt.Errorf("booking: client %q needs an id and a token of 16+ bytes", c.ID)
		}
		if _, err := NewSigner(c.Secret); err != nil {
			return nil, fmt.Errorf("booking: client %q: %w", c.ID, err)
		}
		for _, o := range c.Origins {
			if canonicalOrigin(o) == "" {
				return nil, fmt.Errorf("booking: client %q: origin %q is not scheme://host[:port]",
					c.ID, o)
			}
		}
	}

	s := &Service{
		cfg: cfg, clients: slices.Clone(cfg.Clients),
		bookings: map[string]*Booking{}, byMessage: map[string]string{},
		disabled: map[string]bool{},
	}
	s.sender = &Sender{
		Client: cfg.HTTPClient, Policy: cfg.Policy, Now: cfg.Now, Rand: cfg.Rand,
		OnAttempt: s.recordAttempt,
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.handler = s.routes()
	return s, nil
}

// ServeHTTP serves the booking API.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// Close stops the background work (waits and deliveries in progress end
// as failed) and waits for it to finish.
func (s *Service) Close() error {
	s.cancel()
	s.work.Wait()
	return nil
}

// Wait blocks until every booking taken so far has finished, including its
// callback delivery.
func (s *Service) Wait() { s.work.Wait() }

// SetOutcome forces the outcome of the bookings processed from now on;
// "" returns to the rules: a trip to "Atlantis" is sold out, an email
// address starting with "decline" has its payment refused, and everything
// else is confirmed.
func (s *Service) SetOutcome(o Outcome) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.outcome = o
}

// SetDuplicateDelivery makes the service deliver each callback a second
// time, with the same webhook-id, after the first delivery succeeded, as an
// at-least-once sender may.
func (s *Service) SetDuplicateDelivery(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.duplicate = on
}

// EnableEndpoint clears the disabled mark that a 410 Gone left on a
// callback URL.
func (s *Service) EnableEndpoint(callbackURL string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.disabled, callbackURL)
}

// Booking returns a copy of a booking.
func (s *Service) Booking(id string) (Booking, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.bookings[id]
	if !ok {
		return Booking{}, false
	}
	return copyBooking(b), true
}

// Bookings returns copies of the bookings kept, oldest first.
func (s *Service) Bookings() []Booking {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Booking, 0, len(s.order))
	for _, id := range s.order {
		out = append(out, copyBooking(s.bookings[id]))
	}
	return out
}

func copyBooking(b *Booking) Booking {
	c := *b
	c.Delivery.Attempts = slices.Clone(b.Delivery.Attempts)
	return c
}

// authenticate returns the client whose token the request carries. sent
// reports whether the request carried a bearer token at all, known or not.
func (s *Service) authenticate(r *http.Request) (client Client, sent, ok bool) {
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return Client{}, false, false
	}
	if token = strings.TrimSpace(token); token == "" {
		return Client{}, false, false
	}
	for _, c := range s.clients {
		if subtle.ConstantTimeCompare([]byte(c.Token), []byte(token)) == 1 {
			client, ok = c, true
		}
	}
	return client, true, ok
}

// checkCallback checks a callback URL against the guard and the client's
// origins, and returns the complaint or "".
func (s *Service) checkCallback(c Client, raw string) string {
	if raw == "" {
		return "callback_url is required"
	}
	u, err := s.cfg.Guard.CheckURL(raw)
	if err != nil {
		return "callback_url refused: " + strings.TrimPrefix(err.Error(), "booking: ")
	}
	origin := canonicalOrigin(u.Scheme + "://" + u.Host)
	allowed := false
	for _, o := range c.Origins {
		allowed = allowed || canonicalOrigin(o) == origin
	}
	if !allowed {
		return fmt.Sprintf("callback_url must be on an origin registered for client %q, "+
			"not %s", c.ID, origin)
	}
	s.mu.Lock()
	gone := s.disabled[raw]
	s.mu.Unlock()
	if gone {
		return "callback_url was disabled after it answered 410 Gone"
	}
	return ""
}

// canonicalOrigin writes an origin as scheme://host:port with the default
// port filled in, or returns "" when o is not an origin.
func canonicalOrigin(o string) string {
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
		return ""
	}
	return fmt.Sprintf("%s://%s:%d", u.Scheme, strings.ToLower(u.Hostname()), portOf(u))
}

// newID returns prefix followed by 24 hex digits.
func (s *Service) newID(prefix string) (string, error) {
	b := make([]byte, 12)
	if _, err := io.ReadFull(s.cfg.Rand, b); err != nil {
		return "", fmt.Errorf("booking: random source: %w", err)
	}
	return prefix + hex.EncodeToString(b), nil
}
