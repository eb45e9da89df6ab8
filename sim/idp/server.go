package idp

import (
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// The names of the two providers, used in paths and in [Client.Provider].
const (
	Google   = "google"
	Facebook = "facebook"
)

// Config holds everything a [Server] depends on.
type Config struct {
	// BaseURL is the origin the providers are served from, such as
	// "http://127.0.0.1:8081". The issuer of Google (mock) is BaseURL + "/google".
	BaseURL string

	// Clients are the registered relying parties.
	Clients []Client

	// Personas are the users offered on the sign-in page; nil means
	// [DefaultPersonas].
	Personas []Persona

	// Now is the clock; nil means time.Now.
	Now func() time.Time

	// Rand is the source of codes, tokens and keys; nil means crypto/rand.
	Rand io.Reader

	// Keys are RSA keys for signing ID tokens. The first signs from the start
	// and each key rotation takes the next; when none are left a new 2048-bit
	// key is generated. Tests pass a shared key to avoid slow key generation.
	Keys []*rsa.PrivateKey
}

// Client is a relying party registered with one provider.
type Client struct {
	// Provider is [Google] or [Facebook].
	Provider string

	// ID is the client_id.
	ID string

	// Secret is the client secret; empty registers a public client, which
	// authenticates with its client_id alone and must use PKCE.
	Secret string

	// Name is shown on the consent page, such as "Callback Travel".
	Name string

	// RedirectURIs are compared with the redirect_uri parameter exactly,
	// character for character.
	RedirectURIs []string

	// PKCEOptional lets a confidential client omit PKCE, as RFC 6749 allows.
	// By default PKCE is required.
	PKCEOptional bool
}

// Server serves both providers. It is an [http.Handler]; all its state is
// safe for concurrent use.
type Server struct {
	providers map[string]*provider
	pages     *template.Template // for the pages outside both providers
	handler   http.Handler
}

// New checks cfg and returns a Server.
func New(cfg Config) (*Server, error) {
	base, err := url.Parse(cfg.BaseURL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("idp: base URL %q must be an absolute http(s) URL", cfg.BaseURL)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	if cfg.Personas == nil {
		cfg.Personas = DefaultPersonas()
	}
	baseURL := strings.TrimSuffix(cfg.BaseURL, "/")

	pages := parsePages()
	s := &Server{pages: pages, providers: map[string]*provider{
		Google:   newProvider(Google, "Google (mock)", true, baseURL, cfg, pages),
		Facebook: newProvider(Facebook, "Facebook (mock)", false, baseURL, cfg, pages),
	}}
	s.providers[Google].keys = newKeySet(cfg.Rand, cfg.Keys)

	for _, c := range cfg.Clients {
		p, ok := s.providers[c.Provider]
		if !ok {
			return nil, fmt.Errorf("idp: client %q names unknown provider %q", c.ID, c.Provider)
		}
		if err := checkClient(c); err != nil {
			return nil, err
		}
		if _, dup := p.clients[c.ID]; dup {
			return nil, fmt.Errorf("idp: client %q registered twice with %s", c.ID, c.Provider)
		}
		p.clients[c.ID] = c
	}
	s.handler = s.routes()
	return s, nil
}

// checkClient reports a registration that could never work.
func checkClient(c Client) error {
	if c.ID == "" {
		return errors.New("idp: client with empty ID")
	}
	if len(c.RedirectURIs) == 0 {
		return fmt.Errorf("idp: client %q has no redirect URIs", c.ID)
	}
	for _, ru := range c.RedirectURIs {
		u, err := url.Parse(ru)
		if err != nil || !u.IsAbs() || u.Fragment != "" {
			return fmt.Errorf("idp: client %q: redirect URI %q must be absolute, no fragment",
				c.ID, ru)
		}
	}
	return nil
}

// ServeHTTP serves both providers.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// Issuer returns the issuer URL of a provider, such as
// "http://127.0.0.1:8081/google".
func (s *Server) Issuer(provider string) string {
	return s.mustProvider(provider).issuer
}

// Endpoint returns the provider's endpoints for golang.org/x/oauth2.
func (s *Server) Endpoint(provider string) oauth2.Endpoint {
	p := s.mustProvider(provider)
	return oauth2.Endpoint{
		AuthURL:  p.issuer + p.paths.authorize,
		TokenURL: p.issuer + p.paths.token,
		// The providers take both methods; header (client_secret_basic) is the
		// one RFC 6749 requires servers to support.
		AuthStyle: oauth2.AuthStyleInHeader,
	}
}

// UserinfoURL returns the URL of Google's userinfo endpoint or Facebook's
// profile endpoint.
func (s *Server) UserinfoURL(provider string) string {
	p := s.mustProvider(provider)
	return p.issuer + p.paths.userinfo
}

// SetQuirks replaces the quirk switches of one provider. It is safe to call
// while requests are served.
func (s *Server) SetQuirks(provider string, q Quirks) {
	p := s.mustProvider(provider)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.quirks = q
}

// Quirks returns the quirk switches of one provider.
func (s *Server) Quirks(provider string) Quirks {
	return s.mustProvider(provider).currentQuirks()
}

// RotateKeys makes Google (mock) sign with a new key. The new key is
// published in the JWKS before anything is signed with it, and the previous
// key stays published so that tokens already issued still verify.
func (s *Server) RotateKeys() error {
	return s.providers[Google].keys.rotate()
}

// mustProvider returns a provider by name; an unknown name is a programming
// mistake.
func (s *Server) mustProvider(name string) *provider {
	p, ok := s.providers[name]
	if !ok {
		panic(fmt.Sprintf("idp: unknown provider %q", name))
	}
	return p
}
