package idp

import (
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"sync"
	"time"
)

// Lifetimes of what a provider hands out.
const (
	codeTTL        = 60 * time.Second
	pendingTTL     = 10 * time.Minute
	sessionTTL     = 8 * time.Hour
	accessTokenTTL = time.Hour
	refreshTTL     = 30 * 24 * time.Hour
	idTokenTTL     = time.Hour
)

// endpointPaths are the paths of a provider's endpoints below its issuer.
type endpointPaths struct {
	authorize, token, userinfo string
}

// provider is one identity provider: its clients, keys and state.
type provider struct {
	name     string // "google" or "facebook", also the path prefix
	label    string // "Google (mock)"
	oidc     bool   // issues ID tokens and serves discovery
	issuer   string
	paths    endpointPaths
	clients  map[string]Client
	personas []Persona
	clock    func() time.Time
	keys     *keySet // nil for a provider without ID tokens
	pages    *template.Template

	randMu sync.Mutex
	rand   io.Reader

	mu           sync.Mutex
	quirks       Quirks
	pending      *boundedMap[*pendingAuth]
	sessions     *boundedMap[*session]
	codes        *boundedMap[*authCode]
	access       *boundedMap[*accessToken]
	refresh      *boundedMap[*refreshToken]
	recentNonces [2]string // the latest nonces, for NonceFromAnotherSession
}

func newProvider(name, label string, oidc bool, baseURL string, cfg Config,
	pages *template.Template) *provider {
	paths := endpointPaths{authorize: "/authorize", token: "/token", userinfo: "/userinfo"}
	if !oidc {
		paths = endpointPaths{
			authorize: "/dialog/oauth", token: "/oauth/access_token", userinfo: "/me",
		}
	}
	return &provider{
		name:     name,
		label:    label,
		oidc:     oidc,
		issuer:   baseURL + "/" + name,
		paths:    paths,
		clients:  map[string]Client{},
		personas: cfg.Personas,
		clock:    cfg.Now,
		rand:     cfg.Rand,
		pages:    pages,
		pending:  newBoundedMap[*pendingAuth](maxPending, pendingTTL),
		sessions: newBoundedMap[*session](maxSessions, sessionTTL),
		codes:    newBoundedMap[*authCode](maxCodes, codeRetention),
		access:   newBoundedMap[*accessToken](maxTokens, accessTokenTTL),
		refresh:  newBoundedMap[*refreshToken](maxTokens, refreshTTL),
	}
}

// now is the provider's clock, skewed when the quirk asks for it.
func (p *provider) now() time.Time {
	return p.clock().Add(time.Duration(p.currentQuirks().ClockSkewSeconds) * time.Second)
}

func (p *provider) currentQuirks() Quirks {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.quirks
}

// randomString returns n random bytes, base64url-encoded without padding.
func (p *provider) randomString(n int) (string, error) {
	b := make([]byte, n)
	p.randMu.Lock()
	_, err := io.ReadFull(p.rand, b)
	p.randMu.Unlock()
	if err != nil {
		return "", fmt.Errorf("idp: reading random bytes: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// persona returns the built-in persona with the given ID.
func (p *provider) persona(id string) (Persona, bool) {
	for _, u := range p.personas {
		if u.ID == id {
			return u, true
		}
	}
	return Persona{}, false
}
