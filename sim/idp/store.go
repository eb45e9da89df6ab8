package idp

import (
	"net/http"
	"slices"
	"time"
)

// authRequest is an authorization request that passed every check.
type authRequest struct {
	client      Client
	redirectURI string
	state       string
	scopes      []string
	nonce       string
	challenge   string // PKCE code_challenge, empty when none was sent
	method      string // "S256" or "plain" when a challenge was sent
	prompt      string
}

// pendingAuth is an authorization request waiting for the user to sign in
// and consent. The CSRF token binds the pages' forms to it.
type pendingAuth struct {
	id        string
	csrf      string
	req       authRequest
	created   time.Time
	sessionID string // the login session once the user has signed in
}

// session is the provider's own login session, kept in a cookie.
type session struct {
	id       string
	user     Persona
	authTime time.Time
	consents map[string][]string // scopes each client was granted
}

// grant ties together everything issued from one authorization, so that a
// replayed code or refresh token can revoke all of it.
type grant struct {
	revoked bool
}

// authCode is an issued authorization code.
type authCode struct {
	req      authRequest
	user     Persona
	authTime time.Time
	issued   time.Time
	used     bool
	grant    *grant
}

// accessToken is an issued, opaque access token.
type accessToken struct {
	clientID string
	user     Persona
	scopes   []string
	expires  time.Time
	grant    *grant
}

// refreshToken is an issued, opaque refresh token; each is used once and
// replaced by a new one (rotation).
type refreshToken struct {
	clientID string
	user     Persona
	scopes   []string
	authTime time.Time
	expires  time.Time
	used     bool
	grant    *grant
}

// The bounds of what a provider stores. When a store is full, the oldest
// entry makes room for the new one (see [boundedMap]): 10,000 requests from
// one attacker then cost only older entries, and a person whose sign-in was
// pushed out can start again at once, rather than everyone being locked out
// until the flood expires.
//
// TODO: Eviction only moves the cost of a flood: someone who sends more than
// 10,000 sign-in requests while a person is on the sign-in page still pushes
// that person's sign-in out, and they must start again. A rate limit per
// client address in front of the providers (httprate, in the server) would
// stop a single attacker from doing that.
const (
	maxPending  = 10000
	maxSessions = 10000
	maxCodes    = 10000
	maxTokens   = 20000 // access tokens, and refresh tokens, each
)

// codeRetention is how long a code is remembered after it was issued: longer
// than it works (codeTTL), so that a late replay is still recognised as one
// and still revokes the tokens issued for the code.
const codeRetention = 10 * time.Minute

// sessionCookie is the name of the provider's login cookie.
const sessionCookie = "idp_session"

// newPending stores an authorization request until the user answers.
func (p *provider) newPending(req authRequest) (pendingAuth, error) {
	id, err := p.randomString(18)
	if err != nil {
		return pendingAuth{}, err
	}
	csrf, err := p.randomString(18)
	if err != nil {
		return pendingAuth{}, err
	}
	now := p.now()
	pa := &pendingAuth{id: id, csrf: csrf, req: req, created: now}

	p.mu.Lock()
	defer p.mu.Unlock()
	p.pending.put(now, id, pa)
	if req.nonce != "" {
		p.recentNonces = [2]string{req.nonce, p.recentNonces[0]}
	}
	return *pa, nil
}

// attachSession records which login session answers a pending request.
func (p *provider) attachSession(pendingID, sessionID string) {
	now := p.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	if pa, ok := p.pending.get(now, pendingID); ok {
		pa.sessionID = sessionID
	}
}

// lookupPending returns a copy of a pending request that has not expired.
func (p *provider) lookupPending(id string) (pendingAuth, bool) {
	now := p.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	pa, ok := p.pending.get(now, id)
	if !ok {
		return pendingAuth{}, false
	}
	return *pa, true
}

// finishPending removes a pending request, reporting whether it was there.
func (p *provider) finishPending(id string) bool {
	now := p.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	_, ok := p.pending.get(now, id)
	p.pending.remove(id)
	return ok
}

// startSession starts a login session for user and attaches it to a pending
// request.
func (p *provider) startSession(pendingID string, user Persona) (string, error) {
	id, err := p.randomString(24)
	if err != nil {
		return "", err
	}
	now := p.now()

	p.mu.Lock()
	defer p.mu.Unlock()
	p.sessions.put(now, id, &session{
		id: id, user: user, authTime: now, consents: map[string][]string{},
	})
	if pa, ok := p.pending.get(now, pendingID); ok {
		pa.sessionID = id
	}
	return id, nil
}

// sessionFor returns a copy of the login session named by the request's
// cookie.
func (p *provider) sessionFor(r *http.Request) (session, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return session{}, false
	}
	now := p.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	s, ok := p.sessions.get(now, c.Value)
	if !ok {
		return session{}, false
	}
	cp := *s
	cp.consents = nil // the map stays behind the lock
	return cp, true
}

// hasConsent reports whether the session's user already granted the client
// every scope in scopes.
func (p *provider) hasConsent(sessionID, clientID string, scopes []string) bool {
	now := p.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	s, ok := p.sessions.get(now, sessionID)
	if !ok {
		return false
	}
	granted := s.consents[clientID]
	for _, sc := range scopes {
		if !slices.Contains(granted, sc) {
			return false
		}
	}
	return true
}

// recordConsent remembers that the session's user granted scopes to a client.
func (p *provider) recordConsent(sessionID, clientID string, scopes []string) {
	now := p.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	if s, ok := p.sessions.get(now, sessionID); ok {
		s.consents[clientID] = slices.Clone(scopes)
	}
}

// issueCode issues a single-use authorization code for a signed-in user.
func (p *provider) issueCode(req authRequest, s session) (string, error) {
	code, err := p.randomString(24)
	if err != nil {
		return "", err
	}
	now := p.now()

	p.mu.Lock()
	defer p.mu.Unlock()
	p.codes.put(now, code, &authCode{
		req: req, user: s.user, authTime: s.authTime, issued: now, grant: &grant{},
	})
	return code, nil
}
