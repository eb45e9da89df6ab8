package idp

import (
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// maxParamLen bounds state, nonce and the other free-form parameters.
const maxParamLen = 2048

// maxFormBytes bounds every form body the providers read.
const maxFormBytes = 64 << 10

// scopesFor returns the scopes a provider knows.
func (p *provider) scopesFor() []string {
	if p.oidc {
		return []string{"openid", "email", "profile"}
	}
	return []string{"public_profile", "email"}
}

// authorize is the authorization endpoint (RFC 6749 section 3.1).
func (p *provider) authorize(w http.ResponseWriter, r *http.Request) {
	params, err := readParams(r)
	if err != nil {
		p.renderError(w, http.StatusBadRequest, "The sign-in request could not be read.",
			"Its parameters are not valid URL encoding. Check how the site builds the link.")
		return
	}

	// Client and redirect URI first: until both are known good, errors are
	// shown here and never sent to an address the client did not register.
	client, redirectURI, problem := p.checkClientRedirect(params)
	if problem != "" {
		p.renderError(w, http.StatusBadRequest, "The site's sign-in request is wrong.",
			problem+" You were not sent back to the site, because its address could not be trusted.")
		return
	}
	state := params.Get("state")

	req, oerr := p.parseAuthRequest(params, client, redirectURI)
	if oerr != nil {
		p.redirectError(w, r, redirectURI, state, oerr)
		return
	}

	sess, signedIn := p.sessionFor(r)
	if req.prompt == "none" {
		p.authorizeSilently(w, r, req, sess, signedIn)
		return
	}

	pa, err := p.newPending(req)
	if err != nil {
		p.redirectError(w, r, redirectURI, state, serverError)
		return
	}
	if !signedIn || req.prompt == "login" {
		p.renderSignIn(w, http.StatusOK, pa, "")
		return
	}
	p.attachSession(pa.id, sess.id)
	pa.sessionID = sess.id
	p.renderConsent(w, pa, sess.user)
}

// authorizeSilently answers prompt=none: a code if the user is signed in and
// has consented before, otherwise an error (OpenID Connect Core 3.1.2.6).
func (p *provider) authorizeSilently(w http.ResponseWriter, r *http.Request, req authRequest,
	sess session, signedIn bool) {
	if !signedIn {
		p.redirectError(w, r, req.redirectURI, req.state,
			oauthErrorf(errLoginRequired, "prompt=none was sent but nobody is signed in"))
		return
	}
	if !p.hasConsent(sess.id, req.client.ID, req.scopes) {
		p.redirectError(w, r, req.redirectURI, req.state,
			oauthErrorf(errConsentRequired, "prompt=none was sent but consent is needed"))
		return
	}
	p.redirectWithCode(w, r, req, sess)
}

// redirectWithCode issues a code and sends the browser back to the client.
func (p *provider) redirectWithCode(w http.ResponseWriter, r *http.Request, req authRequest,
	sess session) {
	code, err := p.issueCode(req, sess)
	if err != nil {
		p.redirectError(w, r, req.redirectURI, req.state, serverError)
		return
	}
	params := url.Values{"code": {code}, "iss": {p.issuer}}
	if req.state != "" {
		params.Set("state", req.state)
	}
	http.Redirect(w, r, appendQuery(req.redirectURI, params), redirectStatus(r))
}

// readParams returns the query of a GET or the form body of a POST.
func readParams(r *http.Request) (url.Values, error) {
	if r.Method != http.MethodPost {
		return url.ParseQuery(r.URL.RawQuery)
	}
	b, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxFormBytes))
	if err != nil {
		return nil, err
	}
	return url.ParseQuery(string(b))
}

// checkClientRedirect finds the client and checks redirect_uri against its
// registration, exactly. It returns a sentence for the error page on failure.
func (p *provider) checkClientRedirect(params url.Values) (Client, string, string) {
	ids, uris := params["client_id"], params["redirect_uri"]
	switch {
	case len(ids) == 0 || ids[0] == "":
		return Client{}, "", "The request has no client_id, so " + p.label +
			" cannot tell which site is asking."
	case len(ids) > 1:
		return Client{}, "", "The request has client_id more than once."
	}
	client, ok := p.clients[ids[0]]
	if !ok {
		return Client{}, "", "No site is registered with client_id " + quote(ids[0]) +
			" at " + p.label + "."
	}
	switch {
	case len(uris) == 0 || uris[0] == "":
		return Client{}, "", "The request has no redirect_uri. " + p.label +
			" requires it and compares it exactly with the registered ones."
	case len(uris) > 1:
		return Client{}, "", "The request has redirect_uri more than once."
	case !slices.Contains(client.RedirectURIs, uris[0]):
		// Like real providers, the page does not list the registered URIs:
		// that list would tell anyone where the client accepts codes.
		return Client{}, "", "The redirect_uri " + quote(uris[0]) + " is not registered for " +
			client.displayName() + ". Redirect URIs must match a registered one exactly: " +
			"scheme, host, port, path, case and trailing slash. Check the client's " +
			"registration (the Clients of the provider's configuration; in callbacklab, " +
			"sim/wire.go) and the redirect URL the site sends."
	}
	return client, uris[0], ""
}

// parseAuthRequest checks every other parameter; errors from here on are
// redirected to the client.
func (p *provider) parseAuthRequest(params url.Values, client Client,
	redirectURI string) (authRequest, *oauthError) {
	for name, vs := range params {
		if len(vs) > 1 {
			return authRequest{}, oauthErrorf(errInvalidRequest, "%s was sent more than once", name)
		}
		if len(vs[0]) > maxParamLen {
			return authRequest{}, oauthErrorf(errInvalidRequest, "%s is too long", name)
		}
	}
	req := authRequest{
		client: client, redirectURI: redirectURI,
		state: params.Get("state"), nonce: params.Get("nonce"),
	}

	switch rt := params.Get("response_type"); {
	case rt == "":
		return req, oauthErrorf(errInvalidRequest, "response_type is missing; send code")
	case rt != "code":
		return req, oauthErrorf(errUnsupportedResponseType,
			"response_type %s is not supported; send code", quote(rt))
	}
	if rm := params.Get("response_mode"); rm != "" && rm != "query" {
		return req, oauthErrorf(errInvalidRequest, "response_mode must be query")
	}
	if params.Has("request") || params.Has("request_uri") {
		return req, oauthErrorf(errInvalidRequest, "request objects are not supported")
	}

	var oerr *oauthError
	if req.scopes, oerr = p.parseScopes(params); oerr != nil {
		return req, oerr
	}
	if req.challenge, req.method, oerr = parseChallenge(params, client); oerr != nil {
		return req, oerr
	}
	if req.prompt, oerr = parsePrompt(params.Get("prompt")); oerr != nil {
		return req, oerr
	}
	return req, nil
}

// parseScopes splits the scope parameter and checks every scope is known.
func (p *provider) parseScopes(params url.Values) ([]string, *oauthError) {
	raw := params.Get("scope")
	if raw == "" {
		if p.oidc {
			return nil, oauthErrorf(errInvalidRequest, "scope is missing; send openid")
		}
		return []string{"public_profile"}, nil
	}
	known := p.scopesFor()
	var scopes []string
	for _, s := range strings.Split(raw, " ") {
		if s == "" || slices.Contains(scopes, s) {
			continue
		}
		if !slices.Contains(known, s) {
			return nil, oauthErrorf(errInvalidScope, "scope %s is unknown; known scopes: %s",
				quote(s), strings.Join(known, " "))
		}
		scopes = append(scopes, s)
	}
	if len(scopes) == 0 {
		return nil, oauthErrorf(errInvalidScope, "scope is empty")
	}
	return scopes, nil
}

// parseChallenge checks the PKCE parameters (RFC 7636 section 4.3). A
// challenge without a method is plain.
func parseChallenge(params url.Values, client Client) (string, string, *oauthError) {
	challenge, method := params.Get("code_challenge"), params.Get("code_challenge_method")
	switch {
	case challenge == "" && method != "":
		return "", "", oauthErrorf(errInvalidRequest,
			"code_challenge_method was sent without code_challenge")
	case challenge == "" && (client.Secret == "" || !client.PKCEOptional):
		return "", "", oauthErrorf(errInvalidRequest, "code_challenge is required (PKCE)")
	case challenge == "":
		return "", "", nil
	case method == "":
		method = "plain"
	case method != "S256" && method != "plain":
		return "", "", oauthErrorf(errInvalidRequest,
			"code_challenge_method %s is not supported; use S256", quote(method))
	}
	if !validVerifierSyntax(challenge) {
		return "", "", oauthErrorf(errInvalidRequest,
			"code_challenge must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~")
	}
	return challenge, method, nil
}

// validVerifierSyntax reports whether s has the syntax RFC 7636 gives
// code_verifier and code_challenge: 43 to 128 unreserved characters.
func validVerifierSyntax(s string) bool {
	if len(s) < 43 || len(s) > 128 {
		return false
	}
	for _, c := range []byte(s) {
		ok := c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~'
		if !ok {
			return false
		}
	}
	return true
}

// parsePrompt returns "none", "login" or "" (show the usual pages).
// select_account shows the sign-in page, which is the account chooser.
//
// TODO: max_age and login_hint are ignored, so a client cannot demand a
// recent sign-in or preselect a persona; prompt=login is the only way.
func parsePrompt(raw string) (string, *oauthError) {
	values := strings.Fields(raw)
	for _, v := range values {
		switch v {
		case "none", "login", "consent", "select_account":
		default:
			return "", oauthErrorf(errInvalidRequest, "prompt %s is unknown", quote(v))
		}
	}
	switch {
	case slices.Contains(values, "none") && len(values) > 1:
		return "", oauthErrorf(errInvalidRequest, "prompt=none cannot be combined")
	case slices.Contains(values, "none"):
		return "none", nil
	case slices.Contains(values, "login"), slices.Contains(values, "select_account"):
		return "login", nil
	}
	return "", nil
}

// quote quotes a value from the request for an error message, shortened.
// Single quotes, because error_description may not contain double ones.
func quote(s string) string {
	if len(s) > 80 {
		s = s[:80] + "..."
	}
	return "'" + strings.ToValidUTF8(s, "?") + "'"
}

// displayName is how the pages name a client.
func (c Client) displayName() string {
	if c.Name != "" {
		return c.Name
	}
	return c.ID
}
