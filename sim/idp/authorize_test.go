package idp

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAuthorizeBadClientOrRedirectShowsErrorPage checks that a request whose
// client or redirect URI cannot be trusted never redirects anywhere.
func TestAuthorizeBadClientOrRedirectShowsErrorPage(t *testing.T) {
	tests := []struct {
		name   string
		change func(url.Values)
		want   string // a phrase the error page must show
	}{
		{"TrailingSlash", func(v url.Values) { v.Set("redirect_uri", travelCallback+"/") },
			"not registered"},
		{"ExtraPathSegment", func(v url.Values) { v.Set("redirect_uri", travelCallback+"/x") },
			"not registered"},
		{"HostCase", func(v url.Values) {
			v.Set("client_id", otherID)
			v.Set("redirect_uri", strings.Replace(otherCallback, "localhost", "LocalHost", 1))
		}, "not registered"},
		{"UpperCaseScheme", func(v url.Values) {
			v.Set("redirect_uri", strings.Replace(travelCallback, "http", "HTTP", 1))
		}, "not registered"},
		{"AnotherClientsURI", func(v url.Values) { v.Set("redirect_uri", otherCallback) },
			"not registered"},
		{"MissingRedirect", func(v url.Values) { v.Del("redirect_uri") }, "no redirect_uri"},
		{"UnknownClient", func(v url.Values) { v.Set("client_id", "nobody") },
			"No site is registered"},
		{"MissingClient", func(v url.Values) { v.Del("client_id") }, "no client_id"},
		{"FacebookClientAtGoogle", func(v url.Values) { v.Set("client_id", facebookID) },
			"No site is registered"},
		{"DuplicatedRedirect", func(v url.Values) { v.Add("redirect_uri", travelCallback) },
			"more than once"},
		{"DuplicatedClient", func(v url.Values) { v.Add("client_id", travelID) },
			"more than once"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newTestServer(t)
			params := travelParams()
			tt.change(params)

			resp, page := newBrowser(t, InMemoryTransport(s)).get(authURL(params))
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "an error page, status 400")
			assert.Empty(t, resp.Header.Get("Location"), "it must never redirect")
			assert.Contains(t, page, tt.want, "the page must say what is wrong")
			assert.Contains(t, page, "Google (mock)", "every page is labelled as the mock")
		})
	}
}

// descriptionCharset is the syntax of error_description (RFC 6749
// section 4.1.2.1): printable ASCII except '"' and '\'.
var descriptionCharset = regexp.MustCompile(`^[\x20-\x21\x23-\x5B\x5D-\x7E]*$`)

// TestAuthorizeErrorsRedirect checks the errors that go back to the client
// (RFC 6749 section 4.1.2.1), each with state and iss.
func TestAuthorizeErrorsRedirect(t *testing.T) {
	tests := []struct {
		name   string
		change func(url.Values)
		want   string
	}{
		{"ResponseTypeToken", func(v url.Values) { v.Set("response_type", "token") },
			errUnsupportedResponseType},
		{"ResponseTypeMissing", func(v url.Values) { v.Del("response_type") }, errInvalidRequest},
		{"UnknownScope", func(v url.Values) { v.Set("scope", "openid admin") }, errInvalidScope},
		{"UnknownScopeWithQuotes", func(v url.Values) { v.Set("scope", `openid "é\"`) },
			errInvalidScope},
		{"DuplicatedState", func(v url.Values) { v.Add("state", "again") }, errInvalidRequest},
		{"DuplicatedScope", func(v url.Values) { v.Add("scope", "openid") }, errInvalidRequest},
		{"MethodS512", func(v url.Values) { v.Set("code_challenge_method", "S512") },
			errInvalidRequest},
		{"MethodWithoutChallenge", func(v url.Values) { v.Del("code_challenge") },
			errInvalidRequest},
		{"NoPKCE", func(v url.Values) {
			v.Del("code_challenge")
			v.Del("code_challenge_method")
		}, errInvalidRequest},
		{"ChallengeTooShort", func(v url.Values) { v.Set("code_challenge", "abc") },
			errInvalidRequest},
		{"PromptUnknown", func(v url.Values) { v.Set("prompt", "maybe") }, errInvalidRequest},
		{"PromptNoneAndLogin", func(v url.Values) { v.Set("prompt", "none login") },
			errInvalidRequest},
		{"PromptNoneSignedOut", func(v url.Values) { v.Set("prompt", "none") }, errLoginRequired},
		{"ResponseModeFragment", func(v url.Values) { v.Set("response_mode", "fragment") },
			errInvalidRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newTestServer(t)
			params := travelParams()
			tt.change(params)

			resp, _ := newBrowser(t, InMemoryTransport(s)).get(authURL(params))
			require.Equal(t, http.StatusFound, resp.StatusCode, "an error redirect")
			loc, err := url.Parse(resp.Header.Get("Location"))
			require.NoError(t, err)
			assert.Equal(t, travelCallback, loc.Scheme+"://"+loc.Host+loc.Path,
				"errors go to the registered redirect URI")
			q := loc.Query()
			assert.Equal(t, tt.want, q.Get("error"), "error code; description %q",
				q.Get("error_description"))
			assert.Regexp(t, descriptionCharset, q.Get("error_description"),
				"error_description may only hold the characters RFC 6749 allows")
			assert.Equal(t, params.Get("state"), q.Get("state"), "every error carries state")
			assert.Equal(t, testBase+"/google", q.Get("iss"), "every error carries iss")
		})
	}
}

// TestAuthorizeNoStateNoneReturned checks that state is only echoed when sent.
func TestAuthorizeNoStateNoneReturned(t *testing.T) {
	s, _ := newTestServer(t)
	b := newBrowser(t, InMemoryTransport(s))

	params := travelParams()
	params.Del("state")
	params.Set("scope", "openid bogus")
	resp, _ := b.get(authURL(params))
	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	assert.False(t, loc.Query().Has("state"), "no state sent, none returned: %s", loc)

	params.Set("scope", "openid")
	cb := b.login(Google, authURL(params))
	assert.False(t, cb.Has("state"), "no state on success either: %v", cb)
}

// TestConsentDeclined checks that declining sends access_denied with state.
func TestConsentDeclined(t *testing.T) {
	s, _ := newTestServer(t)
	b := newBrowser(t, InMemoryTransport(s))
	_, page := b.get(authURL(travelParams()))
	consent := b.signInAs(Google, page, "bob")
	q := b.consent(Google, consent, "deny").Query()
	assert.Equal(t, errAccessDenied, q.Get("error"), "declining must send access_denied")
	assert.Equal(t, "st-123", q.Get("state"), "the error must carry state")
	assert.False(t, q.Has("code"), "no code after declining")
}

// TestChallengeWithoutMethodIsPlain checks RFC 7636 section 4.3: no method
// means plain, so the verifier equals the challenge.
func TestChallengeWithoutMethodIsPlain(t *testing.T) {
	s, _ := newTestServer(t)
	params := travelParams()
	params.Set("code_challenge", testVerifier)
	params.Del("code_challenge_method")
	cb := newBrowser(t, InMemoryTransport(s)).login(Google, authURL(params))

	resp, body := tokenRequest(t, s, codeForm(cb.Get("code")), travelID, travelSecret)
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the plain verifier must be accepted: %s", body)
}

// TestPromptNone checks silent sign-in once a session and consent exist,
// and prompt=login showing the sign-in page again.
func TestPromptNone(t *testing.T) {
	s, _ := newTestServer(t)
	b := newBrowser(t, InMemoryTransport(s))
	b.login(Google, authURL(travelParams()))

	params := travelParams()
	params.Set("prompt", "none")
	resp, _ := b.get(authURL(params))
	require.Equal(t, http.StatusFound, resp.StatusCode, "prompt=none must redirect")
	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	assert.NotEmpty(t, loc.Query().Get("code"), "signed in and consented: a code, %s", loc)

	params.Set("scope", "openid email")
	params.Set("client_id", otherID)
	params.Set("redirect_uri", otherCallback)
	resp, _ = b.get(authURL(params))
	loc, err = url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	assert.Equal(t, errConsentRequired, loc.Query().Get("error"),
		"another site has no consent yet")

	params = travelParams()
	params.Set("prompt", "login")
	resp, page := b.get(authURL(params))
	assert.Equal(t, http.StatusOK, resp.StatusCode, "prompt=login must show a page")
	assert.Contains(t, page, "Sign in", "prompt=login must ask to sign in again")
}

// TestSignInFormChecks checks the forms' CSRF token and custom claims.
func TestSignInFormChecks(t *testing.T) {
	s, _ := newTestServer(t)
	b := newBrowser(t, InMemoryTransport(s))
	_, page := b.get(authURL(travelParams()))
	form := formFields(t, page)

	bad := url.Values{"txn": {form.Get("txn")}, "csrf": {"forged"}, "persona": {"alice"}}
	resp, _ := b.post(testBase+"/google/signin", bad)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "a wrong CSRF token is refused")

	form.Set("persona", "custom")
	form.Set("sub", "has space")
	resp, page = b.post(testBase+"/google/signin", form)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "a bad sub is refused")
	assert.Contains(t, page, "printable ASCII", "the page must say what is wrong")

	form.Set("sub", "custom-1")
	form.Set("name", "Zoë <script>")
	form.Set("email", "zoe@example.com")
	resp, _ = b.post(testBase+"/google/signin", form)
	require.Equal(t, http.StatusSeeOther, resp.StatusCode, "good custom claims sign in")
	_, page = b.get(resp.Header.Get("Location"))
	assert.Contains(t, page, "Zoë &lt;script&gt;", "names must be escaped on the page")
}
