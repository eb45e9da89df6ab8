package sim

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"callbacklab/sim/booking"
	"callbacklab/sim/idp"
	"callbacklab/sim/trace"
	"callbacklab/sim/travel"
)

// Default origins of the three services, as `callbacklab serve` uses them.
const (
	DefaultWebOrigin     = "http://127.0.0.1:8080"
	DefaultIDPOrigin     = "http://127.0.0.1:8081"
	DefaultBookingOrigin = "http://127.0.0.1:8082"
)

// The travel site's registrations, the same in every world.
const (
	travelClientID = "callback-travel"
	travelName     = "Callback Travel"
	bookingClient  = "travel"
)

// Config holds everything a [World] depends on. The zero value builds a
// world for `callbacklab serve` on the default origins.
type Config struct {
	// WebOrigin serves the travel site (and the rest of the web app).
	WebOrigin string
	// IDPOrigin serves both identity providers.
	IDPOrigin string
	// BookingOrigin serves book_ticket.
	BookingOrigin string

	// Now is the clock of every service; nil means time.Now.
	Now func() time.Time

	// Rand is the source of every id, secret and key; nil means crypto/rand.
	Rand io.Reader

	// InMemory routes every back-channel request through [InMemory] over
	// the world's own handlers instead of the network; [World.Browser] and
	// tests do the same. Under testing/synctest the whole world then runs on
	// fake time. No dialer runs in memory, so the SSRF guard then checks
	// callback URLs only when they are registered.
	InMemory bool

	// Allow lists the addresses book_ticket may call back although they are
	// internal; nil means the WebOrigin's address when it is an IP address
	// (127.0.0.1:8080 by default) or localhost (then both loopbacks).
	Allow []netip.AddrPort

	// BookingDelay is how long each booking step takes; 0 means two seconds.
	BookingDelay time.Duration

	// Policy sets book_ticket's callback retries; the zero value means
	// booking's defaults with a one-second base.
	Policy booking.Policy

	// Keys are RSA keys for Google (mock)'s ID tokens; nil generates them.
	Keys []*rsa.PrivateKey
}

// World is the simulated world: both identity providers, book_ticket and
// the travel site, wired together and traced.
type World struct {
	cfg      Config
	rec      *trace.Recorder
	idp      *idp.Server
	booking  *booking.Service
	site     *travel.Site
	base     http.RoundTripper // the network, or the in-memory transport
	handlers map[string]http.Handler

	travelH, idpH, bookingH http.Handler

	attacks sync.WaitGroup

	mu       sync.Mutex
	scenario string
}

// New builds a World. Call [World.Close] when done.
func New(cfg Config) (*World, error) {
	if err := cfg.fill(); err != nil {
		return nil, err
	}
	w := &World{cfg: cfg, scenario: Normal}
	w.rec = trace.NewRecorder(trace.Config{Now: cfg.Now, Rand: cfg.Rand})
	if cfg.InMemory {
		w.base = memTransport(w.lazyHosts())
	} else {
		w.base = http.DefaultTransport.(*http.Transport).Clone()
	}

	secret, token, clientSecret, err := secrets(cfg.Rand)
	if err != nil {
		return nil, err
	}
	if err := w.buildIDP(clientSecret); err != nil {
		return nil, err
	}
	if err := w.buildBooking(secret, token); err != nil {
		return nil, err
	}
	if err := w.buildTravel(secret, token, clientSecret); err != nil {
		w.booking.Close()
		return nil, err
	}
	w.handlers = map[string]http.Handler{
		host(cfg.WebOrigin): w.travelH, host(cfg.IDPOrigin): w.idpH,
		host(cfg.BookingOrigin): w.bookingH,
	}
	return w, nil
}

// fill checks the configuration and fills in the defaults.
func (c *Config) fill() error {
	for _, o := range []*string{&c.WebOrigin, &c.IDPOrigin, &c.BookingOrigin} {
		*o = strings.TrimSuffix(*o, "/")
	}
	c.WebOrigin = cmpOr(c.WebOrigin, DefaultWebOrigin)
	c.IDPOrigin = cmpOr(c.IDPOrigin, DefaultIDPOrigin)
	c.BookingOrigin = cmpOr(c.BookingOrigin, DefaultBookingOrigin)
	for _, o := range []string{c.WebOrigin, c.IDPOrigin, c.BookingOrigin} {
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("sim: origin %q must be scheme://host:port", o)
		}
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Rand == nil {
		c.Rand = rand.Reader
	}
	if c.Allow == nil {
		c.Allow = loopbackOf(c.WebOrigin)
	}
	if c.BookingDelay == 0 {
		c.BookingDelay = 2 * time.Second
	}
	if c.Policy.Base == 0 {
		c.Policy.Base = time.Second
	}
	return nil
}

// lazyHosts lets the in-memory transport find handlers that are built after
// it.
func (w *World) lazyHosts() map[string]http.Handler {
	lazy := func(get func() http.Handler) http.Handler {
		return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			get().ServeHTTP(rw, r)
		})
	}
	return map[string]http.Handler{
		host(w.cfg.WebOrigin):     lazy(func() http.Handler { return w.travelH }),
		host(w.cfg.IDPOrigin):     lazy(func() http.Handler { return w.idpH }),
		host(w.cfg.BookingOrigin): lazy(func() http.Handler { return w.bookingH }),
	}
}

// secrets makes the webhook secret, book_ticket token and OAuth client
// secret of this world.
func secrets(r io.Reader) (webhook, token, client string, err error) {
	b := make([]byte, 72)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", "", "", fmt.Errorf("sim: random source: %w", err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	return "whsec_" + base64.StdEncoding.EncodeToString(b[:24]), enc(b[24:48]), enc(b[48:]), nil
}

// namer names the participant a back-channel request goes to.
func (w *World) namer(r *http.Request) string {
	switch r.URL.Host {
	case host(w.cfg.WebOrigin):
		return trace.Travel
	case host(w.cfg.BookingOrigin):
		return trace.Booking
	case host(w.cfg.IDPOrigin):
		return idpParticipant(r)
	}
	return ""
}

func idpParticipant(r *http.Request) string {
	switch {
	case strings.HasPrefix(r.URL.Path, "/google"):
		return trace.Google
	case strings.HasPrefix(r.URL.Path, "/facebook"):
		return trace.Facebook
	}
	return "IDP"
}

// Travel returns the travel site's handler, traced. Serve it at the root
// of WebOrigin; its paths are /travel, /travel/..., /auth/callback and
// /booking/callback (see package travel).
func (w *World) Travel() http.Handler { return w.travelH }

// IDP returns the identity providers' handler, traced, for IDPOrigin.
func (w *World) IDP() http.Handler { return w.idpH }

// Booking returns book_ticket's handler, traced, for BookingOrigin.
func (w *World) Booking() http.Handler { return w.bookingH }

// Traces returns the recorder of every exchange.
func (w *World) Traces() *trace.Recorder { return w.rec }

// Site returns the travel site itself, for its statistics and bookings.
func (w *World) Site() *travel.Site { return w.site }

// BookingService returns book_ticket itself, for its bookings and
// deliveries.
func (w *World) BookingService() *booking.Service { return w.booking }

// Providers returns the identity providers themselves.
func (w *World) Providers() *idp.Server { return w.idp }

// Config returns the configuration with its defaults filled in.
func (w *World) Config() Config { return w.cfg }

// Handlers maps each service's host ("127.0.0.1:8082") to its handler, for
// [InMemory].
func (w *World) Handlers() map[string]http.Handler {
	out := make(map[string]http.Handler, len(w.handlers))
	for k, v := range w.handlers {
		out[k] = v
	}
	return out
}

// Wait blocks until book_ticket, the travel site and the simulated attacker
// have finished the work already started.
func (w *World) Wait() {
	w.booking.Wait()
	w.attacks.Wait()
}

// Close stops every background task of the world.
func (w *World) Close() error {
	w.attacks.Wait()
	err1 := w.booking.Close()
	err2 := w.site.Close()
	if err1 != nil {
		return err1
	}
	return err2
}

// NewClient returns an http.Client that reaches the world the way a
// browser does (not traced as a back channel) with a fresh cookie jar.
func (w *World) NewClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Transport: w.base, Jar: jar}
}

// loopbackOf returns the sandbox addresses of an origin whose host is an IP
// address or "localhost".
func loopbackOf(origin string) []netip.AddrPort {
	u, err := url.Parse(origin)
	if err != nil {
		return nil
	}
	port, err := strconv.ParseUint(u.Port(), 10, 16)
	if err != nil {
		port = 80
		if u.Scheme == "https" {
			port = 443
		}
	}
	if strings.EqualFold(u.Hostname(), "localhost") {
		return []netip.AddrPort{
			netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(port)),
			netip.AddrPortFrom(netip.IPv6Loopback(), uint16(port)),
		}
	}
	if ip, err := netip.ParseAddr(u.Hostname()); err == nil {
		return []netip.AddrPort{netip.AddrPortFrom(ip, uint16(port))}
	}
	return nil
}

// host returns the host:port of an origin.
func host(origin string) string {
	u, err := url.Parse(origin)
	if err != nil {
		return ""
	}
	return u.Host
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
