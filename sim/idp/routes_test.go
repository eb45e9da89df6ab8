package idp

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRouteErrors checks unknown paths and wrong methods: browser pages get
// the provider's friendly HTML page, labelled as a mock; API routes get JSON
// in the provider's style; every 405 names the working methods in Allow.
func TestRouteErrors(t *testing.T) {
	const html, jsonType = "text/html; charset=utf-8", "application/json;charset=UTF-8"
	tests := []struct {
		name, method, path, accept string
		wantStatus                 int
		wantType, wantAllow        string
		wantBody                   string // a fragment of the body
	}{
		{"RootJSON", "GET", "/nope", "", 404, jsonType, "", `"error":"not_found"`},
		{"RootBrowser", "GET", "/nope", "text/html", 404, html, "", "Page not found"},
		{"FacebookDiscovery", "GET", "/facebook/.well-known/openid-configuration", "",
			404, jsonType, "", `"type":"OAuthException"`},
		{"GoogleUnknownAPI", "GET", "/google/nope", "application/json", 404, jsonType, "",
			`"error":"not_found"`},
		{"GoogleUnknownPage", "GET", "/google/nope", "text/html,*/*", 404, html, "",
			"Google (mock)"},
		{"DeleteJWKS", "DELETE", "/google/jwks", "", 405, jsonType, "GET",
			`"error_description":"use GET"`},
		{"PutDiscovery", "PUT", "/google/.well-known/openid-configuration", "", 405, jsonType,
			"GET", `"error":"invalid_request"`},
		{"DeleteUserinfo", "DELETE", "/google/userinfo", "", 405, jsonType, "GET, POST",
			"use GET, POST"},
		{"PostMe", "POST", "/facebook/me", "", 405, jsonType, "GET", "use GET"},
		{"PutSignIn", "PUT", "/google/signin", "", 405, html, "GET, POST", "accepts GET, POST"},
		{"PostFacebookDialog", "POST", "/facebook/dialog/oauth", "", 405, html, "GET",
			"Facebook (mock)"},
		{"DeleteAvatar", "DELETE", "/google/avatar/AM.svg", "", 405, html, "GET", "accepts GET"},
		{"GetToken", "GET", "/google/token", "", 405, jsonType, "POST", "use POST"},
		{"BadAvatar", "GET", "/google/avatar/ABC.svg", "image/*", 404, html, "",
			"Picture not found"},
	}
	s, _ := newTestServer(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, testBase+tt.path, nil)
			if tt.accept != "" {
				r.Header.Set("Accept", tt.accept)
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)

			what := tt.method + " " + tt.path
			assert.Equal(t, tt.wantStatus, w.Code, "%s: status", what)
			assert.Equal(t, tt.wantType, w.Header().Get("Content-Type"), "%s: content type", what)
			assert.Equal(t, tt.wantAllow, w.Header().Get("Allow"), "%s: Allow header", what)
			body := w.Body.String()
			assert.Contains(t, body, tt.wantBody, "%s: the body must explain", what)
			if tt.wantType == jsonType {
				assert.True(t, json.Valid([]byte(body)), "%s: the body is JSON: %s", what, body)
			} else {
				assert.Contains(t, body, "(mock)", "%s: the page is labelled as a mock", what)
			}
		})
	}
}

// TestRedirectMismatchDoesNotListRegisteredURIs checks the error page for an
// unregistered redirect_uri: it names the URI that was sent, escaped, and
// says where clients are registered, but does not reveal the registered
// URIs, which would tell an attacker where codes are delivered.
func TestRedirectMismatchDoesNotListRegisteredURIs(t *testing.T) {
	s, _ := newTestServer(t)
	b := newBrowser(t, InMemoryTransport(s))
	params := travelParams()
	params.Set("redirect_uri", "http://127.0.0.1:8080/cb?<b>x</b>")
	resp, page := b.get(authURL(params))

	require.Equal(t, http.StatusBadRequest, resp.StatusCode, "a mismatch is an error page")
	assert.Contains(t, page, "not registered for Callback Travel", "the page names the problem")
	assert.Contains(t, page, "http://127.0.0.1:8080/cb?&lt;b&gt;x&lt;/b&gt;",
		"the page shows the redirect_uri that was sent, escaped")
	assert.NotContains(t, page, travelCallback, "the registered URI must not be shown")
	assert.False(t, strings.Contains(page, "Registered:"), "no list of registered URIs")
	assert.Contains(t, page, "sim/wire.go", "the page says where clients are registered")
}
