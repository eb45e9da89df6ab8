package idp

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tokenError is the JSON body of a token endpoint error.
type tokenError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

func decodeTokenError(t *testing.T, body string) tokenError {
	t.Helper()
	var e tokenError
	require.NoError(t, json.Unmarshal([]byte(body), &e), "errors must be JSON: %s", body)
	return e
}

// freshCode signs alice in at the travel site and returns a code.
func freshCode(t *testing.T, s *Server, params url.Values) string {
	t.Helper()
	cb := newBrowser(t, InMemoryTransport(s)).login(Google, authURL(params))
	require.NotEmpty(t, cb.Get("code"), "the sign-in must produce a code: %v", cb)
	return cb.Get("code")
}

// TestTokenSuccess checks the response format of RFC 6749 section 5.1.
func TestTokenSuccess(t *testing.T) {
	s, _ := newTestServer(t)
	resp, body := tokenRequest(t, s, codeForm(freshCode(t, s, travelParams())),
		travelID, travelSecret)
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	assert.Equal(t, "application/json;charset=UTF-8", resp.Header.Get("Content-Type"))
	assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"), "tokens must not be cached")

	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &got))
	assert.Equal(t, "Bearer", got["token_type"], "token_type")
	assert.Equal(t, float64(3600), got["expires_in"], "expires_in: an integer of seconds")
	assert.NotContains(t, body, `"expires_in":"`, "expires_in must not be a string")
}

// TestTokenCodeReuseRevokes checks that a code works once, and that using it
// again revokes the tokens of the first exchange (RFC 6749 section 4.1.2).
func TestTokenCodeReuseRevokes(t *testing.T) {
	s, _ := newTestServer(t)
	code := freshCode(t, s, travelParams())
	resp, body := tokenRequest(t, s, codeForm(code), travelID, travelSecret)
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	var tok struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &tok))
	require.Equal(t, http.StatusOK, userinfoStatus(t, s, tok.AccessToken),
		"the access token works before the replay")

	resp, body = tokenRequest(t, s, codeForm(code), travelID, travelSecret)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "a replayed code is refused")
	assert.Equal(t, errInvalidGrant, decodeTokenError(t, body).Error, "a replay is invalid_grant")
	assert.Equal(t, http.StatusUnauthorized, userinfoStatus(t, s, tok.AccessToken),
		"after a replay the first exchange's access token must stop working")
	_, body = tokenRequest(t, s, url.Values{
		"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken},
	}, travelID, travelSecret)
	assert.Equal(t, errInvalidGrant, decodeTokenError(t, body).Error,
		"after a replay the first exchange's refresh token must stop working too")
}

func userinfoStatus(t *testing.T, s *Server, token string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.UserinfoURL(Google), nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := (&http.Client{Transport: InMemoryTransport(s)}).Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	return resp.StatusCode
}

// TestTokenInvalidGrant checks the cases RFC 6749 section 5.2 calls
// invalid_grant, PKCE ones included (RFC 7636 section 4.6).
func TestTokenInvalidGrant(t *testing.T) {
	tests := []struct {
		name     string
		params   func(url.Values) // the authorization request
		form     func(url.Values) // the token request
		advance  time.Duration
		clientID string
		secret   string
	}{
		{name: "ExpiredCode", advance: 61 * time.Second},
		{name: "DifferentRedirectURI", form: func(f url.Values) {
			f.Set("redirect_uri", travelCallback+"/")
		}},
		{name: "MissingRedirectURI", form: func(f url.Values) { f.Del("redirect_uri") }},
		{name: "OtherClientsCode", clientID: otherID, secret: otherSecret},
		{name: "UnknownCode", form: func(f url.Values) { f.Set("code", "made-up") }},
		{name: "WrongVerifier", form: func(f url.Values) {
			f.Set("code_verifier", strings.Repeat("x", 43))
		}},
		{name: "MissingVerifier", form: func(f url.Values) { f.Del("code_verifier") }},
		{name: "VerifierTooShort", form: func(f url.Values) { f.Set("code_verifier", "short") }},
		{name: "VerifierTooLong", form: func(f url.Values) {
			f.Set("code_verifier", strings.Repeat("a", 129))
		}},
		{name: "VerifierIllegalChars", form: func(f url.Values) {
			f.Set("code_verifier", strings.Repeat("a", 42)+"+")
		}},
		{name: "VerifierWithoutChallenge",
			params: func(p url.Values) {
				p.Set("client_id", legacyID)
				p.Set("redirect_uri", legacyCallback)
				p.Del("code_challenge")
				p.Del("code_challenge_method")
			},
			form:     func(f url.Values) { f.Set("redirect_uri", legacyCallback) },
			clientID: legacyID, secret: "legacy-secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, clock := newTestServer(t)
			params := travelParams()
			if tt.params != nil {
				tt.params(params)
			}
			form := codeForm(freshCode(t, s, params))
			if tt.form != nil {
				tt.form(form)
			}
			clock.Advance(tt.advance)
			id, secret := travelID, travelSecret
			if tt.clientID != "" {
				id, secret = tt.clientID, tt.secret
			}

			resp, body := tokenRequest(t, s, form, id, secret)
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "status: %s", body)
			assert.Equal(t, errInvalidGrant, decodeTokenError(t, body).Error, body)
			assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"), "errors: no-store")
		})
	}
}

// TestTokenRequestErrors checks client authentication and request errors.
func TestTokenRequestErrors(t *testing.T) {
	tests := []struct {
		name       string
		form       url.Values
		id, secret string // Basic credentials; empty id sends none
		wantStatus int
		wantError  string
	}{
		{"WrongSecretBasic", url.Values{"grant_type": {"authorization_code"}, "code": {"c"}},
			travelID, "wrong", http.StatusUnauthorized, errInvalidClient},
		{"UnknownClientBasic", url.Values{"grant_type": {"authorization_code"}, "code": {"c"}},
			"nobody", "x", http.StatusUnauthorized, errInvalidClient},
		{"NoAuthentication", url.Values{"grant_type": {"authorization_code"}, "code": {"c"}},
			"", "", http.StatusUnauthorized, errInvalidClient},
		{"WrongSecretPost", url.Values{"grant_type": {"authorization_code"}, "code": {"c"},
			"client_id": {travelID}, "client_secret": {"wrong"}},
			"", "", http.StatusUnauthorized, errInvalidClient},
		{"BasicAndBodySecret", url.Values{"grant_type": {"authorization_code"}, "code": {"c"},
			"client_secret": {travelSecret}},
			travelID, travelSecret, http.StatusBadRequest, errInvalidRequest},
		{"UnknownGrantType", url.Values{"grant_type": {"password"}},
			travelID, travelSecret, http.StatusBadRequest, errUnsupportedGrantType},
		{"MissingGrantType", url.Values{"code": {"c"}},
			travelID, travelSecret, http.StatusBadRequest, errInvalidRequest},
		{"DuplicatedParameter", url.Values{"grant_type": {"authorization_code"},
			"code": {"a", "b"}}, travelID, travelSecret, http.StatusBadRequest, errInvalidRequest},
		{"MissingCode", url.Values{"grant_type": {"authorization_code"}},
			travelID, travelSecret, http.StatusBadRequest, errInvalidRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newTestServer(t)
			resp, body := tokenRequest(t, s, tt.form, tt.id, tt.secret)
			assert.Equal(t, tt.wantStatus, resp.StatusCode, "status: %s", body)
			assert.Equal(t, tt.wantError, decodeTokenError(t, body).Error, body)
			if tt.wantStatus == http.StatusUnauthorized {
				assert.Contains(t, resp.Header.Get("WWW-Authenticate"), "Basic",
					"a 401 must challenge with WWW-Authenticate")
			}
		})
	}
}

// TestTokenGetIsNotAllowed checks that the token endpoint only takes POST.
func TestTokenGetIsNotAllowed(t *testing.T) {
	s, _ := newTestServer(t)
	resp, _ := newBrowser(t, InMemoryTransport(s)).get(testBase + "/google/token?grant_type=x")
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode, "GET must be 405")
	assert.Equal(t, http.MethodPost, resp.Header.Get("Allow"), "405 must list POST in Allow")
}

// TestTokenClientSecretPost checks client_secret_post authentication.
func TestTokenClientSecretPost(t *testing.T) {
	s, _ := newTestServer(t)
	form := codeForm(freshCode(t, s, travelParams()))
	form.Set("client_id", travelID)
	form.Set("client_secret", travelSecret)
	resp, body := tokenRequest(t, s, form, "", "")
	assert.Equal(t, http.StatusOK, resp.StatusCode, "client_secret_post must work: %s", body)
}

// TestRefreshRotation checks that a refresh token works once, returns a new
// one, and that reusing the old one revokes the grant.
func TestRefreshRotation(t *testing.T) {
	s, _ := newTestServer(t)
	_, body := tokenRequest(t, s, codeForm(freshCode(t, s, travelParams())),
		travelID, travelSecret)
	var first struct {
		RefreshToken string `json:"refresh_token"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &first))

	refresh := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {first.RefreshToken}}
	resp, body := tokenRequest(t, s, refresh, travelID, travelSecret)
	require.Equal(t, http.StatusOK, resp.StatusCode, "the first refresh works: %s", body)
	var second struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &second))
	assert.NotEqual(t, first.RefreshToken, second.RefreshToken, "the refresh token rotates")

	resp, body = tokenRequest(t, s, refresh, travelID, travelSecret)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "a reused refresh token: 400")
	assert.Equal(t, errInvalidGrant, decodeTokenError(t, body).Error,
		"reusing a rotated refresh token is invalid_grant")
	assert.Equal(t, http.StatusUnauthorized, userinfoStatus(t, s, second.AccessToken),
		"reuse revokes the tokens issued since")
}
