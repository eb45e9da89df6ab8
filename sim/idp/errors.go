package idp

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

// The error codes of RFC 6749 sections 4.1.2.1 and 5.2, OpenID Connect Core
// section 3.1.2.6 and RFC 6750 section 3.1.
const (
	errInvalidRequest          = "invalid_request"
	errUnauthorizedClient      = "unauthorized_client"
	errAccessDenied            = "access_denied"
	errUnsupportedResponseType = "unsupported_response_type"
	errInvalidScope            = "invalid_scope"
	errServerError             = "server_error"
	errTemporarilyUnavailable  = "temporarily_unavailable"
	errInvalidClient           = "invalid_client"
	errInvalidGrant            = "invalid_grant"
	errUnsupportedGrantType    = "unsupported_grant_type"
	errLoginRequired           = "login_required"
	errConsentRequired         = "consent_required"
	errInvalidToken            = "invalid_token"
)

// oauthError is a protocol error as the client will see it. Description is
// meant for the developer of the client and never holds internals.
type oauthError struct {
	Code        string
	Description string
}

func (e *oauthError) Error() string {
	return "idp: " + e.Code + ": " + e.Description
}

// oauthErrorf returns an oauthError with a formatted description, cut down
// to the characters RFC 6749 allows in error_description: printable ASCII
// without '"' and '\\'.
func oauthErrorf(code, format string, args ...any) *oauthError {
	desc := []byte(fmt.Sprintf(format, args...))
	for i, c := range desc {
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			desc[i] = '?'
		}
	}
	return &oauthError{Code: code, Description: string(desc)}
}

// serverError hides an internal failure behind server_error.
var serverError = &oauthError{Code: errServerError, Description: "the provider failed; try again"}

// redirectError sends the browser back to the client with an error, as RFC
// 6749 section 4.1.2.1 and RFC 9207 describe. Only call it once the
// redirect URI has been checked against the registration.
func (p *provider) redirectError(w http.ResponseWriter, r *http.Request, redirectURI,
	state string, e *oauthError) {
	params := url.Values{"error": {e.Code}, "error_description": {e.Description}}
	if state != "" {
		params.Set("state", state)
	}
	params.Set("iss", p.issuer)
	http.Redirect(w, r, appendQuery(redirectURI, params), redirectStatus(r))
}

// redirectStatus is 303 after a form POST, so the browser follows with a
// GET, and 302 otherwise. It is never 307, which would resend the form.
func redirectStatus(r *http.Request) int {
	if r.Method == http.MethodPost {
		return http.StatusSeeOther
	}
	return http.StatusFound
}

// appendQuery adds params to a URL that may already have a query.
func appendQuery(rawURL string, params url.Values) string {
	u, err := url.Parse(rawURL)
	if err != nil { // registered URIs were parsed by New
		panic("idp: registered redirect URI does not parse: " + err.Error())
	}
	q := u.Query()
	for k, vs := range params {
		q[k] = vs
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// writeTokenError answers a token request with a JSON error as RFC 6749
// section 5.2 describes. A failed client authentication is a 401 with a
// challenge for HTTP Basic.
func (p *provider) writeTokenError(w http.ResponseWriter, e *oauthError) {
	status := http.StatusBadRequest
	switch e.Code {
	case errInvalidClient:
		status = http.StatusUnauthorized
		w.Header().Set("WWW-Authenticate", fmt.Sprintf("Basic realm=%q", p.label))
	case errServerError:
		status = http.StatusInternalServerError
	}
	if p.currentQuirks().TokenErrorWithStatusOK {
		status = http.StatusOK
	}
	writeJSON(w, status, "application/json", map[string]string{
		"error": e.Code, "error_description": e.Description,
	})
}

// writeBearerError answers a request to a protected resource whose access
// token is missing or bad, as RFC 6750 section 3 describes. A request with
// no token at all gets a challenge without an error code (section 3.1).
func (p *provider) writeBearerError(w http.ResponseWriter, e *oauthError) {
	status := http.StatusUnauthorized
	challenge := fmt.Sprintf("Bearer realm=%q", p.label)
	if e != nil {
		challenge += fmt.Sprintf(`, error="%s", error_description="%s"`, e.Code, e.Description)
		if e.Code == errInvalidRequest {
			status = http.StatusBadRequest
		}
	}
	w.Header().Set("WWW-Authenticate", challenge)
	body := map[string]string{
		"error_description": "send an access token in an Authorization: Bearer header",
	}
	if e != nil {
		body = map[string]string{"error": e.Code, "error_description": e.Description}
	}
	writeJSON(w, status, "application/json", body)
}

// writeJSON writes v as JSON with headers that keep it out of caches.
func writeJSON(w http.ResponseWriter, status int, contentType string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic("idp: encoding a response: " + err.Error()) // only our own types get here
	}
	w.Header().Set("Content-Type", contentType+";charset=UTF-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// writeMethodNotAllowed answers a request with the wrong method.
func writeMethodNotAllowed(w http.ResponseWriter, allowed string) {
	w.Header().Set("Allow", allowed)
	writeJSON(w, http.StatusMethodNotAllowed, "application/json", map[string]string{
		"error": errInvalidRequest, "error_description": "use " + allowed,
	})
}

// writeGraphError answers like Facebook's Graph API does for a bad request
// to the profile endpoint: an error object with a message, type and code.
func writeGraphError(w http.ResponseWriter, message string) {
	writeJSON(w, http.StatusBadRequest, "application/json", map[string]any{
		"error": map[string]any{"message": message, "type": "OAuthException", "code": 100},
	})
}
