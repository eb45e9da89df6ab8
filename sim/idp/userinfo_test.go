package idp

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBearerErrors checks RFC 6750 section 3 at both providers' resource
// endpoints.
func TestBearerErrors(t *testing.T) {
	tests := []struct {
		name       string
		path       string
		header     string
		wantStatus int
		wantHeader string
	}{
		{"GoogleBadToken", "/google/userinfo", "Bearer not-a-token", http.StatusUnauthorized,
			`Bearer realm="Google (mock)", error="invalid_token"`},
		{"GoogleNoToken", "/google/userinfo", "", http.StatusUnauthorized,
			`Bearer realm="Google (mock)"`},
		{"GoogleBasicInstead", "/google/userinfo", "Basic dTpw", http.StatusUnauthorized,
			`Bearer realm="Google (mock)"`},
		{"GoogleEmptyBearer", "/google/userinfo", "Bearer ", http.StatusBadRequest,
			`Bearer realm="Google (mock)", error="invalid_request"`},
		{"FacebookBadToken", "/facebook/me", "Bearer nope", http.StatusUnauthorized,
			`Bearer realm="Facebook (mock)", error="invalid_token"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newTestServer(t)
			req, err := http.NewRequest(http.MethodGet, testBase+tt.path, nil)
			require.NoError(t, err)
			if tt.header != "" {
				req.Header.Set("Authorization", tt.header)
			}
			resp, err := (&http.Client{Transport: InMemoryTransport(s)}).Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, tt.wantStatus, resp.StatusCode, "status")
			assert.Contains(t, resp.Header.Get("WWW-Authenticate"), tt.wantHeader,
				"the challenge must follow RFC 6750")
			if tt.header == "" {
				assert.NotContains(t, resp.Header.Get("WWW-Authenticate"), "error=",
					"with no token at all, RFC 6750 section 3.1 says: no error code")
			}
		})
	}
}

// TestUserinfoFollowsScopes checks that userinfo shows only what the scopes
// allow.
func TestUserinfoFollowsScopes(t *testing.T) {
	s, _ := newTestServer(t)
	params := travelParams()
	params.Set("scope", "openid email")
	_, body := tokenRequest(t, s, codeForm(freshCode(t, s, params)), travelID, travelSecret)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &tok))

	req, err := http.NewRequest(http.MethodGet, s.UserinfoURL(Google), nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err := (&http.Client{Transport: InMemoryTransport(s)}).Do(req)
	require.NoError(t, err)
	var got map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&got))
	resp.Body.Close()
	assert.Equal(t, "alice@example.com", got["email"], "the email scope shows the email")
	assert.NotContains(t, got, "name", "without the profile scope there is no name")
}
