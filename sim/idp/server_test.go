package idp

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNewRejectsBadConfig checks that registrations that could never work
// fail at start-up, with a message that names the problem.
func TestNewRejectsBadConfig(t *testing.T) {
	good := Client{Provider: Google, ID: "a", Secret: "s", RedirectURIs: []string{travelCallback}}
	tests := []struct {
		name    string
		base    string
		clients []Client
		want    string
	}{
		{"RelativeBaseURL", "127.0.0.1:8081", nil, "base URL"},
		{"UnknownProvider", testBase, []Client{{Provider: "github", ID: "a"}}, "unknown provider"},
		{"EmptyID", testBase, []Client{{Provider: Google}}, "empty ID"},
		{"NoRedirectURIs", testBase, []Client{{Provider: Google, ID: "a"}}, "no redirect URIs"},
		{"RelativeRedirect", testBase, []Client{{Provider: Google, ID: "a",
			RedirectURIs: []string{"/auth/callback"}}}, "must be absolute"},
		{"Duplicate", testBase, []Client{good, good}, "registered twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(Config{BaseURL: tt.base, Clients: tt.clients})
			require.Error(t, err, "New must refuse this configuration")
			assert.Contains(t, err.Error(), tt.want, "the error must name the problem")
			assert.True(t, strings.HasPrefix(err.Error(), "idp: "), "errors carry the prefix")
		})
	}
}

// TestSessionCookie checks the attributes of the provider's login cookie.
func TestSessionCookie(t *testing.T) {
	s, _ := newTestServer(t)
	b := newBrowser(t, InMemoryTransport(s))
	_, page := b.get(authURL(travelParams()))
	form := formFields(t, page)
	form.Set("persona", "alice")
	resp, _ := b.post(testBase+"/google/signin", form)

	cookies := resp.Cookies()
	require.Len(t, cookies, 1, "sign-in sets one cookie")
	c := cookies[0]
	assert.True(t, c.HttpOnly, "the session cookie must be HttpOnly")
	assert.Equal(t, http.SameSiteLaxMode, c.SameSite, "the session cookie must be SameSite=Lax")
	assert.Equal(t, "/google/", c.Path, "the cookie is scoped to its provider's path")
}

// TestPendingExpires checks that a sign-in page left open too long ends on
// an error page, not with a code.
func TestPendingExpires(t *testing.T) {
	s, clock := newTestServer(t)
	b := newBrowser(t, InMemoryTransport(s))
	_, page := b.get(authURL(travelParams()))
	form := formFields(t, page)
	form.Set("persona", "alice")

	clock.Advance(11 * time.Minute)
	resp, body := b.post(testBase+"/google/signin", form)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "an expired sign-in is refused")
	assert.Contains(t, body, "expired", "the page must say the sign-in expired")
}

// TestFacebookErrorsAndDefaults checks Facebook (mock)'s default scope and
// an error redirect with state and iss.
func TestFacebookErrorsAndDefaults(t *testing.T) {
	s, _ := newTestServer(t)
	b := newBrowser(t, InMemoryTransport(s))
	params := url.Values{
		"client_id": {facebookID}, "redirect_uri": {facebookCallbck},
		"response_type": {"code"}, "state": {"fb"}, "code_challenge": {s256(testVerifier)},
		"code_challenge_method": {"S256"},
	}
	resp, page := b.get(testBase + "/facebook/dialog/oauth?" + params.Encode())
	require.Equal(t, http.StatusOK, resp.StatusCode, "no scope: public_profile is assumed")
	assert.Contains(t, page, "Facebook (mock)", "the page is labelled as the mock")

	params.Set("scope", "openid")
	resp, _ = b.get(testBase + "/facebook/dialog/oauth?" + params.Encode())
	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	assert.Equal(t, errInvalidScope, loc.Query().Get("error"), "Facebook (mock) has no openid")
	assert.Equal(t, "fb", loc.Query().Get("state"), "the error carries state")
	assert.Equal(t, testBase+"/facebook", loc.Query().Get("iss"), "the error carries iss")
}

// TestAvatar checks the initials picture and that anything else is refused.
func TestAvatar(t *testing.T) {
	s, _ := newTestServer(t)
	b := newBrowser(t, InMemoryTransport(s))
	resp, body := b.get(testBase + "/google/avatar/AM.svg")
	assert.Equal(t, http.StatusOK, resp.StatusCode, "a picture for two letters")
	assert.Equal(t, "image/svg+xml", resp.Header.Get("Content-Type"), "an SVG picture")
	assert.Contains(t, body, ">AM</text>", "the picture shows the initials")

	resp, _ = b.get(testBase + "/google/avatar/%3Cscript%3E.svg")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "only letters are drawn")
}
