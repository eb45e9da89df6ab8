package travel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/go-chi/chi/v5"
	"golang.org/x/oauth2"
)

// loginLifetime is how long a started sign-in may take.
const loginLifetime = 10 * time.Minute

// maxLogins bounds the sign-ins in progress; starting one more forgets the
// oldest.
const maxLogins = 1_000

// login is a sign-in in progress, found by its state.
type login struct {
	provider string
	verifier string // PKCE
	nonce    string
	returnTo string
	expires  time.Time
}

// signInProvider is a [Provider] with its OAuth client and, for OpenID
// Connect, its ID token verifier, discovered on first use.
type signInProvider struct {
	Provider
	oauth *oauth2.Config

	mu       sync.Mutex
	verifier *oidc.IDTokenVerifier
}

func newSignInProvider(p Provider, redirectURL string) *signInProvider {
	return &signInProvider{Provider: p, oauth: &oauth2.Config{
		ClientID: p.ClientID, ClientSecret: p.ClientSecret, Endpoint: p.Endpoint,
		RedirectURL: redirectURL, Scopes: p.Scopes,
	}}
}

// idVerifier discovers the provider (once it succeeds) and returns its ID
// token verifier.
func (s *Site) idVerifier(p *signInProvider) (*oidc.IDTokenVerifier, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.verifier != nil {
		return p.verifier, nil
	}
	// The key set keeps this context for later JWKS fetches, so it must not
	// be a request's context.
	ctx := oidc.ClientContext(s.ctx, s.cfg.HTTPClient)
	op, err := oidc.NewProvider(ctx, p.Issuer)
	if err != nil {
		return nil, fmt.Errorf("travel: discovering %s: %w", p.Label, err)
	}
	p.verifier = op.Verifier(&oidc.Config{ClientID: p.ClientID, Now: s.cfg.Now})
	return p.verifier, nil
}

// handleChooser offers the providers.
func (s *Site) handleChooser(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "signin.html", pageData{
		Title: "Sign in", Providers: s.cfg.Providers, Resume: r.URL.Query().Get("resume") != "",
	})
}

// handleSignIn starts a sign-in: fresh state, PKCE verifier and nonce, the
// state bound to this browser by a cookie, then off to the provider.
func (s *Site) handleSignIn(w http.ResponseWriter, r *http.Request) {
	p, ok := s.providers[chi.URLParam(r, "provider")]
	if !ok {
		s.fail(w, r, http.StatusNotFound, "Unknown provider",
			"Choose one of the providers on the sign-in page.")
		return
	}
	state, err1 := s.random(24)
	nonce, err2 := s.random(24)
	if err := errors.Join(err1, err2); err != nil {
		s.fail(w, r, http.StatusInternalServerError, "Sign-in failed", "Please try again.")
		return
	}
	l := &login{
		provider: p.Name, verifier: oauth2.GenerateVerifier(), nonce: nonce,
		returnTo: "/travel", expires: s.cfg.Now().Add(loginLifetime),
	}
	if r.URL.Query().Get("resume") != "" {
		l.returnTo = "/travel?resume=1"
	}
	s.mu.Lock()
	s.logins.put(s.cfg.Now(), state, l)
	s.mu.Unlock()
	s.setCookie(w, stateCookie, state, "/auth/", loginLifetime)

	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(l.verifier)}
	if p.Issuer != "" {
		opts = append(opts, oidc.Nonce(nonce))
	}
	http.Redirect(w, r, p.oauth.AuthCodeURL(state, opts...), http.StatusFound)
}

// handleAuthCallback is the redirect URI: check state, then the error or the
// code, exchange it, identify the user and start a session.
func (s *Site) handleAuthCallback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()

	// The state must be one we issued, unused, and given to this browser;
	// checking and consuming it happen under one lock, so it works once.
	state, mine := q.Get("state"), ""
	if c, err := r.Cookie(stateCookie); err == nil {
		mine = c.Value
	}
	s.mu.Lock()
	l, ok := s.logins.get(s.cfg.Now(), state)
	match := ok && mine == state
	if match {
		s.logins.take(s.cfg.Now(), state)
	}
	s.mu.Unlock()
	switch {
	case !ok:
		s.fail(w, r, http.StatusBadRequest, "Sign-in link already used",
			"This sign-in response was already used or has expired; a code works once. "+
				"Start again from the sign-in page.")
		return
	case !match:
		s.fail(w, r, http.StatusBadRequest, "Sign-in refused: state mismatch",
			"This sign-in response was not started by this browser, so it was ignored. "+
				"Someone may be trying to sign you in to their account (login CSRF). "+
				"Start again from the sign-in page.")
		return
	}
	s.setCookie(w, stateCookie, "", "/auth/", 0)
	p := s.providers[l.provider]

	// The provider answered with an error, such as a declined consent.
	if e := q.Get("error"); e != "" {
		title, msg := "Sign-in failed", fmt.Sprintf("%s answered %q: %s", p.Label, e,
			q.Get("error_description"))
		if e == "access_denied" {
			title = "Sign-in cancelled"
			msg = "You declined to share your " + p.Label + " account, so you are not " +
				"signed in and nothing was booked."
		}
		s.fail(w, r, http.StatusForbidden, title, msg)
		return
	}
	// RFC 9207: an OpenID provider that advertises
	// authorization_response_iss_parameter_supported names itself in every
	// response, so a response without iss is as suspect as one with another.
	if iss := q.Get("iss"); p.Issuer != "" && iss != p.Issuer {
		msg := "The response names issuer " + iss + ", not " + p.Issuer + " (mix-up attack?)."
		if iss == "" {
			msg = p.Label + " always names itself in its sign-in responses (the iss " +
				"parameter of RFC 9207), but this one did not, so it was refused " +
				"(mix-up attack?). Start again from the sign-in page."
		}
		s.fail(w, r, http.StatusBadRequest, "Sign-in refused: wrong issuer", msg)
		return
	}

	u, err := s.identify(r.Context(), p, l, q.Get("code"))
	if err != nil {
		s.fail(w, r, http.StatusBadGateway, "Sign-in failed", err.Error())
		return
	}
	if err := s.startSession(w, u); err != nil {
		s.fail(w, r, http.StatusInternalServerError, "Sign-in failed", "Please try again.")
		return
	}
	s.mu.Lock()
	s.lastLogin = s.cfg.Origin + r.URL.RequestURI()
	s.mu.Unlock()
	http.Redirect(w, r, l.returnTo, http.StatusSeeOther)
}

// identify exchanges the code and finds out who signed in: from a verified
// ID token (OpenID Connect) or from the profile endpoint (OAuth 2.0).
func (s *Site) identify(ctx context.Context, p *signInProvider, l *login,
	code string) (User, error) {
	ctx = context.WithValue(ctx, oauth2.HTTPClient, s.cfg.HTTPClient)
	tok, err := p.oauth.Exchange(ctx, code, oauth2.VerifierOption(l.verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.ErrorCode != "" {
			return User{}, fmt.Errorf("%s refused the code: %s %s", p.Label, re.ErrorCode,
				re.ErrorDescription)
		}
		return User{}, fmt.Errorf("the code could not be exchanged at %s: %v", p.Label, err)
	}
	if p.Issuer == "" {
		return s.profile(ctx, p, tok)
	}

	// OpenID Connect: the ID token must verify and carry our nonce.
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return User{}, fmt.Errorf("%s sent no ID token", p.Label)
	}
	v, err := s.idVerifier(p)
	if err != nil {
		return User{}, err
	}
	idt, err := v.Verify(ctx, raw)
	if err != nil {
		return User{}, fmt.Errorf("the ID token was refused: %v", err)
	}
	if idt.Nonce != l.nonce {
		return User{}, errors.New("the ID token was refused: its nonce is not the one " +
			"this sign-in sent (replayed or mixed-up token)")
	}
	var claims struct {
		Name  string `json:"name"`
		Email string `json:"email"`
	}
	if err := idt.Claims(&claims); err != nil {
		return User{}, fmt.Errorf("the ID token's claims could not be read: %v", err)
	}
	return User{Provider: p.Name, Subject: idt.Subject, Name: claims.Name, Email: claims.Email}, nil
}

// profile asks a plain OAuth 2.0 provider who the token belongs to.
func (s *Site) profile(ctx context.Context, p *signInProvider, tok *oauth2.Token) (User, error) {
	u := p.ProfileURL + "?" + url.Values{"fields": {"id,name,email"}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return User{}, fmt.Errorf("the profile URL of %s is invalid", p.Label)
	}
	tok.SetAuthHeader(req)
	res, err := s.cfg.HTTPClient.Do(req)
	if err != nil {
		return User{}, fmt.Errorf("the profile could not be fetched from %s: %v", p.Label, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	if res.StatusCode != http.StatusOK {
		return User{}, fmt.Errorf("%s answered %d to the profile request", p.Label, res.StatusCode)
	}
	var prof struct {
		ID    string `json:"id"`
		Name  string `json:"name"`
		Email string `json:"email"`
	}
	if err := json.Unmarshal(body, &prof); err != nil || prof.ID == "" {
		return User{}, fmt.Errorf("%s sent a profile without an id", p.Label)
	}
	return User{Provider: p.Name, Subject: prof.ID, Name: prof.Name, Email: prof.Email}, nil
}
