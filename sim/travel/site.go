package travel

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"golang.org/x/oauth2"

	"callbacklab/sim/booking"
)

// Provider is an identity provider the site can sign in with.
type Provider struct {
	// Name is the path segment and id, "google" or "facebook".
	Name string

	// Label is shown on buttons, such as "Google (mock)".
	Label string

	// Issuer is the OpenID Connect issuer; empty for plain OAuth 2.0, in
	// which case ProfileURL gives the user.
	Issuer string

	// ProfileURL is Facebook's profile endpoint, asked for id, name and
	// email with the access token.
	ProfileURL string

	// Endpoint holds the authorization and token URLs.
	Endpoint oauth2.Endpoint

	// ClientID and ClientSecret are the site's registration.
	ClientID     string
	ClientSecret string

	// Scopes are requested at sign-in.
	Scopes []string
}

// Config holds everything a [Site] depends on.
type Config struct {
	// Origin is where the site is served, such as "http://127.0.0.1:8080";
	// the redirect URI is Origin + "/auth/callback".
	Origin string

	// Providers are the identity providers offered.
	Providers []Provider

	// BookingURL is book_ticket's base URL, such as "http://127.0.0.1:8082".
	BookingURL string

	// BookingToken is the site's service credential for book_ticket.
	BookingToken string

	// WebhookSecret is the "whsec_" secret book_ticket signs callbacks with.
	WebhookSecret string

	// HTTPClient makes every back-channel call (token, JWKS, profile,
	// book_ticket); nil means http.DefaultClient.
	HTTPClient *http.Client

	// Now is the clock; nil means time.Now.
	Now func() time.Time

	// Rand is the source of state, nonces, PKCE verifiers and session ids;
	// nil means crypto/rand.
	Rand io.Reader

	// CallbackURL returns the callback URL sent with each booking; nil means
	// Origin + "/booking/callback". The simulation swaps it to show what
	// book_ticket does with an internal address.
	CallbackURL func() string

	// OnBooked, if set, is called after book_ticket accepted a booking. It
	// must not block.
	OnBooked func(ctx context.Context, bookingID string)
}

// Stats counts what the callback receiver did, for tests and the control
// panel.
type Stats struct {
	Received    int // deliveries that reached the receiver
	Rejected    int // refused for a bad signature, headers or timestamp
	Duplicates  int // verified but already processed
	Processed   int // verified and processed
	Unavailable int // answered 503 while the receiver was "down"
}

// Site is the travel site. It is an [http.Handler]; see the package
// documentation for its routes. It is safe for concurrent use.
type Site struct {
	cfg       Config
	host      string // the host:port of cfg.Origin
	callback  string
	providers map[string]*signInProvider
	verifier  *booking.Verifier
	pages     *template.Template
	handler   http.Handler
	mux       *chi.Mux // the routes, to name the methods a path allows
	hub       *hub

	ctx    context.Context
	cancel context.CancelFunc
	work   sync.WaitGroup

	mu           sync.Mutex
	sessions     map[string]*session
	logins       *expiring[*login]          // by state
	drafts       *expiring[booking.Request] // by draft cookie
	bookings     map[string]*Booking        // by book_ticket's id
	bookingOrder []string                   // ids, oldest first
	seen         map[string]bool            // processed webhook ids
	seenOrder    []string
	down         int // answer 503 to this many callbacks
	stats        Stats
	lastLogin    string // the last /auth/callback URL that signed someone in
}

// New checks cfg and returns a Site. Call [Site.Close] to stop its
// background work.
func New(cfg Config) (*Site, error) {
	origin, err := url.Parse(cfg.Origin)
	if err != nil || (origin.Scheme != "http" && origin.Scheme != "https") || origin.Host == "" {
		return nil, fmt.Errorf("travel: origin %q must be an absolute http(s) URL", cfg.Origin)
	}
	cfg.Origin = strings.TrimSuffix(cfg.Origin, "/")
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = http.DefaultClient
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	v, err := booking.NewVerifier(cfg.WebhookSecret, cfg.Now)
	if err != nil {
		return nil, fmt.Errorf("travel: %w", err)
	}
	if cfg.BookingURL == "" || cfg.BookingToken == "" {
		return nil, errors.New("travel: BookingURL and BookingToken are required")
	}

	s := &Site{
		cfg: cfg, host: origin.Host, callback: cfg.Origin + "/booking/callback", verifier: v,
		providers: map[string]*signInProvider{}, pages: parsePages(), hub: newHub(),
		sessions: map[string]*session{}, logins: newExpiring[*login](maxLogins, loginLifetime),
		drafts:   newExpiring[booking.Request](maxDrafts, draftLifetime),
		bookings: map[string]*Booking{},
		seen:     map[string]bool{},
	}
	for _, p := range cfg.Providers {
		if p.Name == "" || p.ClientID == "" || p.Endpoint.AuthURL == "" {
			return nil, fmt.Errorf("travel: provider %q needs a name, client id and endpoint", p.Name)
		}
		s.providers[p.Name] = newSignInProvider(p, cfg.Origin+"/auth/callback")
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.handler = s.routes()
	return s, nil
}

// ServeHTTP serves the site.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Close ends open event streams and waits for callback work in progress.
func (s *Site) Close() error {
	s.cancel()
	s.work.Wait()
	return nil
}

// SetReceiverDown makes the callback receiver answer 503 Service
// Unavailable to the next n deliveries, as if it were down; 0 brings it
// back.
func (s *Site) SetReceiverDown(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = n
}

// Stats returns what the callback receiver has done so far.
func (s *Site) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// LastSignInURL returns the /auth/callback URL, with its code and state,
// that most recently signed someone in, so that the simulation can replay
// it. It is "" before the first sign-in.
func (s *Site) LastSignInURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastLogin
}

// callbackURL is the URL sent to book_ticket with each booking.
func (s *Site) callbackURL() string {
	if s.cfg.CallbackURL != nil {
		return s.cfg.CallbackURL()
	}
	return s.callback
}

// random returns n random bytes in unpadded base64url, as used for state,
// nonces and ids.
func (s *Site) random(n int) (string, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(s.cfg.Rand, b); err != nil {
		return "", fmt.Errorf("travel: random source: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// secure reports whether cookies should be marked Secure.
func (s *Site) secure() bool { return strings.HasPrefix(s.cfg.Origin, "https://") }
