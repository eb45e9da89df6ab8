package idp

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// token is the token endpoint (RFC 6749 section 3.2).
func (p *provider) token(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeMethodNotAllowed(w, http.MethodPost)
		return
	}
	form, oerr := readTokenForm(r)
	if oerr != nil {
		p.writeTokenError(w, oerr)
		return
	}
	client, oerr := p.authenticateClient(r, form)
	if oerr != nil {
		p.writeTokenError(w, oerr)
		return
	}

	var resp map[string]any
	switch gt := form.Get("grant_type"); gt {
	case "authorization_code":
		resp, oerr = p.exchangeCode(client, form)
	case "refresh_token":
		resp, oerr = p.exchangeRefresh(client, form)
	default:
		oerr = oauthErrorf(errUnsupportedGrantType,
			"grant_type %s is not supported; use authorization_code or refresh_token", quote(gt))
	}
	if oerr != nil {
		p.writeTokenError(w, oerr)
		return
	}
	p.writeTokenResponse(w, resp)
}

// readTokenForm reads the form body and refuses anything RFC 6749 section 3.2
// does not allow: another content type, or a parameter sent twice.
func readTokenForm(r *http.Request) (url.Values, *oauthError) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return nil, oauthErrorf(errInvalidRequest,
			"send the parameters as application/x-www-form-urlencoded")
	}
	form, err := readParams(r)
	if err != nil {
		return nil, oauthErrorf(errInvalidRequest, "the form body could not be read")
	}
	for name, vs := range form {
		if len(vs) > 1 {
			return nil, oauthErrorf(errInvalidRequest, "%s was sent more than once", name)
		}
	}
	if form.Get("grant_type") == "" {
		return nil, oauthErrorf(errInvalidRequest, "grant_type is missing")
	}
	return form, nil
}

// authenticateClient checks client_secret_basic, client_secret_post, or a
// bare client_id for a public client. Using two methods at once is an error.
func (p *provider) authenticateClient(r *http.Request, form url.Values) (Client, *oauthError) {
	user, pass, hasBasic := r.BasicAuth()
	if r.Header.Get("Authorization") != "" && !hasBasic {
		return Client{}, oauthErrorf(errInvalidClient, "only Basic client authentication works")
	}
	if hasBasic && form.Has("client_secret") {
		return Client{}, oauthErrorf(errInvalidRequest,
			"the client authenticated twice: HTTP Basic and client_secret; use one")
	}

	id, secret := form.Get("client_id"), form.Get("client_secret")
	if hasBasic {
		// RFC 6749 section 2.3.1: both parts are form-encoded before Basic.
		bid, err1 := url.QueryUnescape(user)
		bsecret, err2 := url.QueryUnescape(pass)
		if err1 != nil || err2 != nil {
			return Client{}, oauthErrorf(errInvalidClient, "the Basic credentials are not form-encoded")
		}
		if id != "" && id != bid {
			return Client{}, oauthErrorf(errInvalidRequest, "client_id differs from the Basic user")
		}
		id, secret = bid, bsecret
	}

	client, ok := p.clients[id]
	switch {
	case id == "":
		return Client{}, oauthErrorf(errInvalidClient, "no client authentication was sent")
	case !ok:
		return Client{}, oauthErrorf(errInvalidClient, "client_id %s is unknown", quote(id))
	case client.Secret == "" && secret == "" && !hasBasic:
		return client, nil // a public client
	case client.Secret == "" ||
		subtle.ConstantTimeCompare([]byte(secret), []byte(client.Secret)) != 1:
		return Client{}, oauthErrorf(errInvalidClient, "the client secret is missing or wrong")
	}
	return client, nil
}

// exchangeCode redeems an authorization code (RFC 6749 section 4.1.3).
func (p *provider) exchangeCode(client Client, form url.Values) (map[string]any, *oauthError) {
	code := form.Get("code")
	if code == "" {
		return nil, oauthErrorf(errInvalidRequest, "code is missing")
	}
	now := p.now()

	// Look the code up and use it up, in one step under the lock.
	p.mu.Lock()
	ac, ok := p.codes.get(now, code)
	switch {
	case !ok:
		p.mu.Unlock()
		return nil, oauthErrorf(errInvalidGrant, "the code is unknown or expired")
	case ac.req.client.ID != client.ID:
		p.mu.Unlock()
		return nil, oauthErrorf(errInvalidGrant, "the code was issued to another client")
	case ac.used:
		ac.grant.revoked = true
		p.mu.Unlock()
		return nil, oauthErrorf(errInvalidGrant,
			"the code was already used; the tokens issued for it are now revoked")
	case now.Sub(ac.issued) > codeTTL:
		p.mu.Unlock()
		return nil, oauthErrorf(errInvalidGrant, "the code expired; codes live 60 seconds")
	}
	ac.used = true
	p.mu.Unlock()

	if form.Get("redirect_uri") != ac.req.redirectURI {
		return nil, oauthErrorf(errInvalidGrant,
			"redirect_uri must be the one sent in the authorization request")
	}
	if oerr := checkVerifier(ac.req, form); oerr != nil {
		return nil, oerr
	}
	return p.issueTokens(tokenGrant{
		client: client, user: ac.user, scopes: ac.req.scopes, authTime: ac.authTime,
		nonce: ac.req.nonce, grant: ac.grant,
	})
}

// checkVerifier checks the PKCE code_verifier against the challenge (RFC 7636
// section 4.6). A verifier without a challenge is refused too, so that PKCE
// cannot be stripped from the authorization request unnoticed.
func checkVerifier(req authRequest, form url.Values) *oauthError {
	verifier := form.Get("code_verifier")
	switch {
	case req.challenge == "" && form.Has("code_verifier"):
		return oauthErrorf(errInvalidGrant, "code_verifier was sent but no code_challenge was")
	case req.challenge == "":
		return nil
	case verifier == "":
		return oauthErrorf(errInvalidGrant, "code_verifier is missing; PKCE was started")
	case !validVerifierSyntax(verifier):
		return oauthErrorf(errInvalidGrant,
			"code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~")
	}
	want := verifier
	if req.method == "S256" {
		sum := sha256.Sum256([]byte(verifier))
		want = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	if subtle.ConstantTimeCompare([]byte(want), []byte(req.challenge)) != 1 {
		return oauthErrorf(errInvalidGrant, "code_verifier does not match code_challenge")
	}
	return nil
}

// exchangeRefresh redeems a refresh token and rotates it (RFC 6749 section 6,
// RFC 9700 section 4.14). Using a rotated token again revokes the whole grant.
func (p *provider) exchangeRefresh(client Client, form url.Values) (map[string]any, *oauthError) {
	raw := form.Get("refresh_token")
	if raw == "" {
		return nil, oauthErrorf(errInvalidRequest, "refresh_token is missing")
	}
	now := p.now()

	p.mu.Lock()
	rt, ok := p.refresh.get(now, raw)
	switch {
	case !ok || now.After(rt.expires):
		p.mu.Unlock()
		return nil, oauthErrorf(errInvalidGrant, "the refresh token is unknown or expired")
	case rt.clientID != client.ID:
		p.mu.Unlock()
		return nil, oauthErrorf(errInvalidGrant, "the refresh token was issued to another client")
	case rt.grant.revoked:
		p.mu.Unlock()
		return nil, oauthErrorf(errInvalidGrant, "the refresh token was revoked")
	case rt.used:
		rt.grant.revoked = true
		p.mu.Unlock()
		return nil, oauthErrorf(errInvalidGrant,
			"the refresh token was already used; every token of this sign-in is now revoked")
	}
	rt.used = true
	p.mu.Unlock()

	scopes := rt.scopes
	if s := form.Get("scope"); s != "" {
		scopes = strings.Fields(s)
		for _, sc := range scopes {
			if !slices.Contains(rt.scopes, sc) {
				return nil, oauthErrorf(errInvalidScope, "scope %s was not granted", quote(sc))
			}
		}
	}
	return p.issueTokens(tokenGrant{
		client: client, user: rt.user, scopes: scopes, authTime: rt.authTime, grant: rt.grant,
	})
}

// writeTokenResponse writes a successful token response (RFC 6749 section
// 5.1), bent by the quirks if any are on.
func (p *provider) writeTokenResponse(w http.ResponseWriter, resp map[string]any) {
	q := p.currentQuirks()
	if q.ExpiresInAsString {
		resp["expires_in"] = strconv.Itoa(resp["expires_in"].(int))
	}
	contentType := "application/json"
	if q.TokenResponseAsTextPlain {
		contentType = "text/plain"
	}
	writeJSON(w, http.StatusOK, contentType, resp)
}
