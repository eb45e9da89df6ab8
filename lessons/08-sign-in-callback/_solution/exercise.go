// Package signin is lesson 8 of callbacklab: the travel site's side of "Sign in with Google".
// GET /login sends the browser to the provider with state, PKCE and a nonce; the provider
// calls the site back at GET /auth/callback, where the site checks state, exchanges the code,
// verifies the ID token and its nonce, and starts a session. It uses golang.org/x/oauth2 and
// github.com/coreos/go-oidc/v3.
package signin

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// LoginTTL is how long a sign-in may take, from GET /login to the callback.
const LoginTTL = 10 * time.Minute

// The cookies the site sets.
const (
	// LoginCookie names the sign-in in progress; it is sent only to /auth/.
	LoginCookie = "login"
	// SessionCookie names the session of a signed-in traveller.
	SessionCookie = "session"
)

// Config is what the travel site needs to sign travellers in with one provider.
type Config struct {
	// Issuer is the provider's issuer URL, such as "http://idp.example/google". The provider's
	// discovery document must name exactly this issuer.
	Issuer string
	// ClientID and ClientSecret identify the travel site at the provider.
	ClientID     string
	ClientSecret string
	// RedirectURL is the site's registered callback, such as
	// "http://travel.example/auth/callback".
	RedirectURL string
	// HTTPClient makes the site's own requests to the provider: discovery, keys and the code
	// exchange. nil means http.DefaultClient.
	HTTPClient *http.Client
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// User is the signed-in traveller, from the ID token's claims.
type User struct {
	Subject string `json:"subject"`
	Email   string `json:"email"`
	Name    string `json:"name"`
}

// SignIn holds the travel site's sign-in. Build one with [New].
type SignIn struct {
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
	issuer   string
	client   *http.Client
	now      func() time.Time

	mu     sync.Mutex
	logins map[string]pendingLogin // by the login cookie's value
	// TODO: sessions never expire and there is no sign-out, so a stolen session cookie works
	// until the process restarts; a real site gives sessions a lifetime and a logout route.
	sessions map[string]User // by the session cookie's value
}

// pendingLogin is what the site remembers between GET /login and the callback.
type pendingLogin struct {
	state, verifier, nonce string
	started                time.Time
}

// New fetches the provider's discovery document from cfg.Issuer (with cfg.HTTPClient) and
// returns the site's sign-in. cfg.Issuer, cfg.ClientID and cfg.RedirectURL are required;
// the other fields may be left zero. It returns an error when a required field is empty, the
// provider cannot be reached, or the discovery document names another issuer.
func New(ctx context.Context, cfg Config) (*SignIn, error) {
	if cfg.Issuer == "" || cfg.ClientID == "" || cfg.RedirectURL == "" {
		return nil, errors.New("signin: Issuer, ClientID and RedirectURL are required")
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = http.DefaultClient
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}

	provider, err := oidc.NewProvider(oidc.ClientContext(ctx, cfg.HTTPClient), cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("signin: discovery at %s: %w", cfg.Issuer, err)
	}
	return &SignIn{
		oauth: oauth2.Config{
			ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret,
			Endpoint: provider.Endpoint(), RedirectURL: cfg.RedirectURL,
			Scopes: []string{oidc.ScopeOpenID, "email", "profile"},
		},
		verifier: provider.Verifier(&oidc.Config{ClientID: cfg.ClientID, Now: cfg.Now}),
		issuer:   cfg.Issuer,
		client:   cfg.HTTPClient,
		now:      cfg.Now,
		logins:   map[string]pendingLogin{},
		sessions: map[string]User{},
	}, nil
}

// Handler returns the site's sign-in routes:
//
//	GET /login          start a sign-in: 302 to the provider
//	GET /auth/callback  finish it: 303 to "/" with a session cookie, or an error
//	GET /me             the signed-in traveller as JSON, or 401
func (s *SignIn) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login", s.login)
	mux.HandleFunc("GET /auth/callback", s.callback)
	mux.HandleFunc("GET /me", s.me)
	return mux
}

// User returns the traveller whose session cookie r carries.
func (s *SignIn) User(r *http.Request) (User, bool) {
	c, err := r.Cookie(SessionCookie)
	if err != nil {
		return User{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.sessions[c.Value]
	return u, ok
}

// login remembers a new state, PKCE verifier and nonce for this browser and sends it to the
// provider.
func (s *SignIn) login(w http.ResponseWriter, r *http.Request) {
	p := pendingLogin{
		state: rand.Text(), verifier: oauth2.GenerateVerifier(), nonce: rand.Text(),
		started: s.now(),
	}
	id := rand.Text()
	s.mu.Lock()
	for k, old := range s.logins { // forget abandoned sign-ins
		if s.now().Sub(old.started) > LoginTTL {
			delete(s.logins, k)
		}
	}
	s.logins[id] = p
	s.mu.Unlock()

	http.SetCookie(w, &http.Cookie{
		Name: LoginCookie, Value: id, Path: "/auth/", MaxAge: int(LoginTTL.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode,
	})
	to := s.oauth.AuthCodeURL(p.state, oauth2.S256ChallengeOption(p.verifier), oidc.Nonce(p.nonce))
	http.Redirect(w, r, to, http.StatusFound)
}

// callback finishes a sign-in. Each check refuses with its own message.
func (s *SignIn) callback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()

	// The sign-in this browser started, used once whatever happens next.
	p, ok := s.takeLogin(r)
	http.SetCookie(w, &http.Cookie{Name: LoginCookie, Path: "/auth/", MaxAge: -1})
	if !ok {
		http.Error(w, "signin: no sign-in is in progress in this browser; start at /login",
			http.StatusBadRequest)
		return
	}
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(p.state)) != 1 {
		http.Error(w, "signin: state does not match the sign-in this browser started",
			http.StatusBadRequest)
		return
	}
	if iss := q.Get("iss"); iss != "" && iss != s.issuer {
		http.Error(w, "signin: the answer comes from another issuer", http.StatusBadRequest)
		return
	}
	if e := q.Get("error"); e != "" {
		http.Error(w, "signin: the provider refused: "+e, http.StatusUnauthorized)
		return
	}
	code := q.Get("code")
	if code == "" {
		http.Error(w, "signin: the callback has no code", http.StatusBadRequest)
		return
	}

	// The back channel: the code and the PKCE verifier for tokens.
	ctx := context.WithValue(r.Context(), oauth2.HTTPClient, s.client)
	tok, err := s.oauth.Exchange(ctx, code, oauth2.VerifierOption(p.verifier))
	if err != nil {
		http.Error(w, "signin: the code exchange failed", http.StatusUnauthorized)
		return
	}
	user, err := s.verify(ctx, tok, p.nonce)
	if err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}

	// A new session, under a new random id.
	sid := rand.Text()
	s.mu.Lock()
	s.sessions[sid] = user
	s.mu.Unlock()
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: sid, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
	})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// takeLogin removes and returns the pending sign-in named by r's login cookie, if it is still
// fresh.
func (s *SignIn) takeLogin(r *http.Request) (pendingLogin, bool) {
	c, err := r.Cookie(LoginCookie)
	if err != nil {
		return pendingLogin{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.logins[c.Value]
	delete(s.logins, c.Value)
	return p, ok && s.now().Sub(p.started) <= LoginTTL
}

// verify checks the ID token in tok (signature, issuer, audience, expiry) and its nonce, and
// returns the user it names.
func (s *SignIn) verify(ctx context.Context, tok *oauth2.Token, nonce string) (User, error) {
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return User{}, errors.New("signin: the provider sent no ID token")
	}
	idt, err := s.verifier.Verify(oidc.ClientContext(ctx, s.client), raw)
	if err != nil {
		return User{}, errors.New("signin: the ID token is not valid")
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 {
		return User{}, errors.New("signin: the ID token's nonce is not this sign-in's")
	}
	var claims struct {
		Email string `json:"email"`
		Name  string `json:"name"`
	}
	if err := idt.Claims(&claims); err != nil {
		return User{}, errors.New("signin: the ID token's claims do not read")
	}
	return User{Subject: idt.Subject, Email: claims.Email, Name: claims.Name}, nil
}

// me answers with the signed-in traveller, or 401.
func (s *SignIn) me(w http.ResponseWriter, r *http.Request) {
	u, ok := s.User(r)
	if !ok {
		http.Error(w, "signin: not signed in", http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(u)
}
