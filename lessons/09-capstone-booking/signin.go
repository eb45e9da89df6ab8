package capstone

// This file is given: it is lesson 8's sign-in, ready to use, and so lesson 8's answer. Do
// lesson 8 before you read it. You need only s.auth.user(r), which returns the signed-in
// traveller of a request. Your work is in site.go.

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
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

// User is a signed-in traveller, from the ID token's claims.
type User struct {
	Subject string `json:"subject"`
	Email   string `json:"email"`
	Name    string `json:"name"`
}

// signIn is the travel site's sign-in with one OpenID Connect provider.
type signIn struct {
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
	issuer   string
	client   *http.Client
	now      func() time.Time

	mu       sync.Mutex
	logins   map[string]pendingLogin // by the login cookie's value
	sessions map[string]User         // by the session cookie's value
}

// pendingLogin is what the site remembers between GET /login and the callback.
type pendingLogin struct {
	state, verifier, nonce string
	started                time.Time
}

// newSignIn discovers the provider at cfg.Issuer with cfg.HTTPClient.
func newSignIn(ctx context.Context, cfg Config) (*signIn, error) {
	if cfg.Issuer == "" || cfg.ClientID == "" || cfg.Origin == "" || cfg.HTTPClient == nil {
		return nil, errors.New("capstone: Issuer, ClientID, Origin and HTTPClient are required")
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	provider, err := oidc.NewProvider(oidc.ClientContext(ctx, cfg.HTTPClient), cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("capstone: discovery at %s: %w", cfg.Issuer, err)
	}
	return &signIn{
		oauth: oauth2.Config{
			ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret,
			Endpoint: provider.Endpoint(), RedirectURL: cfg.Origin + "/auth/callback",
			Scopes: []string{oidc.ScopeOpenID, "email", "profile"},
		},
		verifier: provider.Verifier(&oidc.Config{ClientID: cfg.ClientID, Now: now}),
		issuer:   cfg.Issuer,
		client:   cfg.HTTPClient,
		now:      now,
		logins:   map[string]pendingLogin{},
		sessions: map[string]User{},
	}, nil
}

// routes adds GET /login and GET /auth/callback to mux.
func (s *signIn) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /login", s.login)
	mux.HandleFunc("GET /auth/callback", s.callback)
}

// user returns the traveller whose session cookie r carries.
func (s *signIn) user(r *http.Request) (User, bool) {
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
func (s *signIn) login(w http.ResponseWriter, r *http.Request) {
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

// callback finishes a sign-in: state, issuer, code exchange, ID token, nonce, session.
func (s *signIn) callback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p, ok := s.takeLogin(r)
	http.SetCookie(w, &http.Cookie{Name: LoginCookie, Path: "/auth/", MaxAge: -1})
	switch {
	case !ok:
		http.Error(w, "capstone: no sign-in is in progress in this browser",
			http.StatusBadRequest)
		return
	case subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(p.state)) != 1:
		http.Error(w, "capstone: state does not match", http.StatusBadRequest)
		return
	case q.Get("iss") != "" && q.Get("iss") != s.issuer:
		http.Error(w, "capstone: the answer comes from another issuer", http.StatusBadRequest)
		return
	case q.Get("error") != "":
		http.Error(w, "capstone: the provider refused: "+q.Get("error"),
			http.StatusUnauthorized)
		return
	case q.Get("code") == "":
		http.Error(w, "capstone: the callback has no code", http.StatusBadRequest)
		return
	}

	ctx := context.WithValue(r.Context(), oauth2.HTTPClient, s.client)
	tok, err := s.oauth.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(p.verifier))
	if err != nil {
		http.Error(w, "capstone: the code exchange failed", http.StatusUnauthorized)
		return
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := s.verifier.Verify(oidc.ClientContext(ctx, s.client), raw)
	if err != nil || subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(p.nonce)) != 1 {
		http.Error(w, "capstone: the ID token is not valid for this sign-in",
			http.StatusUnauthorized)
		return
	}
	var claims struct {
		Email string `json:"email"`
		Name  string `json:"name"`
	}
	if err := idt.Claims(&claims); err != nil {
		http.Error(w, "capstone: the ID token's claims do not read", http.StatusUnauthorized)
		return
	}

	sid := rand.Text()
	s.mu.Lock()
	s.sessions[sid] = User{Subject: idt.Subject, Email: claims.Email, Name: claims.Name}
	s.mu.Unlock()
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: sid, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
	})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// takeLogin removes and returns the pending sign-in named by r's login cookie, if it is still
// fresh.
func (s *signIn) takeLogin(r *http.Request) (pendingLogin, bool) {
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
