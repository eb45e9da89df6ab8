package idp

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/go-jose/go-jose/v4"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

// TestGoogleFlowWithRealClients signs in with x/oauth2 and go-oidc as the
// travel site would, and checks every ID token rule on the way.
func TestGoogleFlowWithRealClients(t *testing.T) {
	s, clock := newTestServer(t)
	rt := InMemoryTransport(s)
	ctx := oidc.ClientContext(context.Background(), &http.Client{Transport: rt})

	// Discovery: the issuer is the provider's path on the idp origin.
	provider, err := oidc.NewProvider(ctx, testBase+"/google")
	require.NoError(t, err, "go-oidc must accept the discovery document")
	conf := oauth2.Config{
		ClientID: travelID, ClientSecret: travelSecret, RedirectURL: travelCallback,
		Endpoint: provider.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "email", "profile"},
	}
	assert.Equal(t, s.Endpoint(Google).AuthURL, conf.Endpoint.AuthURL,
		"Server.Endpoint must match what discovery says")
	assert.Equal(t, s.Endpoint(Google).TokenURL, conf.Endpoint.TokenURL,
		"Server.Endpoint must match what discovery says")

	// Front channel: the browser signs in as alice and allows.
	verifier := oauth2.GenerateVerifier()
	u := conf.AuthCodeURL("state-1", oauth2.S256ChallengeOption(verifier), oidc.Nonce("nonce-1"))
	cb := newBrowser(t, rt).login(Google, u)
	assert.Equal(t, "state-1", cb.Get("state"), "the callback must carry the state sent")
	assert.Equal(t, testBase+"/google", cb.Get("iss"), "the callback must carry iss (RFC 9207)")
	require.NotEmpty(t, cb.Get("code"), "the callback must carry a code: %v", cb)

	// Back channel: exchange the code with the PKCE verifier.
	tok, err := conf.Exchange(ctx, cb.Get("code"), oauth2.VerifierOption(verifier))
	require.NoError(t, err, "the code exchange must succeed")
	assert.Equal(t, "Bearer", tok.TokenType, "token_type")
	assert.NotEmpty(t, tok.RefreshToken, "a refresh token must be issued")
	rawID, ok := tok.Extra("id_token").(string)
	require.True(t, ok, "the token response must carry an id_token")

	// The ID token verifies with go-oidc: signature, iss, aud, expiry.
	idt, err := provider.Verifier(&oidc.Config{ClientID: travelID, Now: clock.Now}).Verify(ctx, rawID)
	require.NoError(t, err, "go-oidc must verify the ID token")
	assert.Equal(t, testBase+"/google", idt.Issuer, "iss must equal discovery's issuer exactly")
	assert.Contains(t, idt.Audience, travelID, "aud must hold the client id")
	assert.Equal(t, "nonce-1", idt.Nonce, "nonce must be echoed")
	assert.NoError(t, idt.VerifyAccessToken(tok.AccessToken), "at_hash must match the token")

	// The kid in the header is published in the JWKS.
	jws, err := jose.ParseSignedCompact(rawID, []jose.SignatureAlgorithm{jose.RS256})
	require.NoError(t, err)
	kid := jws.Signatures[0].Header.KeyID
	var set jose.JSONWebKeySet
	getJSON(t, rt, testBase+"/google/jwks", &set)
	assert.Len(t, set.Key(kid), 1, "the ID token's kid %q must be in the JWKS", kid)

	// Claims and userinfo describe the same user.
	var claims map[string]any
	require.NoError(t, idt.Claims(&claims))
	assert.Equal(t, "alice@example.com", claims["email"], "email claim")
	assert.Equal(t, true, claims["email_verified"], "email_verified must be a boolean")
	info, err := provider.UserInfo(ctx, conf.TokenSource(ctx, tok))
	require.NoError(t, err, "userinfo must answer with the access token")
	assert.Equal(t, idt.Subject, info.Subject, "userinfo sub must equal the ID token's sub")
}

// TestGoogleNoNonceNoClaim checks that an ID token has no nonce when the
// client sent none.
func TestGoogleNoNonceNoClaim(t *testing.T) {
	s, _ := newTestServer(t)
	rt := InMemoryTransport(s)
	params := travelParams()
	params.Del("nonce")
	cb := newBrowser(t, rt).login(Google, authURL(params))

	resp, body := tokenRequest(t, s, codeForm(cb.Get("code")), travelID, travelSecret)
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	claims := idTokenClaims(t, body)
	assert.NotContains(t, claims, "nonce", "no nonce was sent, so none may come back")
}

// TestFacebookFlowWithRealClients signs in with x/oauth2 at Facebook (mock)
// and reads the profile.
func TestFacebookFlowWithRealClients(t *testing.T) {
	s, _ := newTestServer(t)
	rt := InMemoryTransport(s)
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, &http.Client{Transport: rt})
	conf := oauth2.Config{
		ClientID: facebookID, ClientSecret: facebookSecret, RedirectURL: facebookCallbck,
		Endpoint: s.Endpoint(Facebook), Scopes: []string{"public_profile", "email"},
	}

	verifier := oauth2.GenerateVerifier()
	cb := newBrowser(t, rt).login(Facebook,
		conf.AuthCodeURL("fb-state", oauth2.S256ChallengeOption(verifier)))
	assert.Equal(t, "fb-state", cb.Get("state"), "the callback must carry the state sent")

	tok, err := conf.Exchange(ctx, cb.Get("code"), oauth2.VerifierOption(verifier))
	require.NoError(t, err, "the code exchange must succeed")
	assert.Nil(t, tok.Extra("id_token"), "Facebook (mock) issues no ID token")

	resp, err := conf.Client(ctx, tok).Get(s.UserinfoURL(Facebook) + "?fields=id,name,email")
	require.NoError(t, err)
	var got map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&got))
	resp.Body.Close()
	want := map[string]any{"id": "104729000000000001", "name": "Alice Martin",
		"email": "alice@example.com"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("profile (-want +got):\n%s", diff)
	}
}

// getJSON fetches a URL and decodes its JSON body.
func getJSON(t *testing.T, rt http.RoundTripper, url string, v any) {
	t.Helper()
	resp, err := (&http.Client{Transport: rt}).Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, "GET %s", url)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(v), "GET %s must return JSON", url)
}

// idTokenClaims returns the claims of the id_token in a token response,
// without verifying it (the flow test does that with go-oidc).
func idTokenClaims(t *testing.T, tokenResponse string) map[string]any {
	t.Helper()
	var resp struct {
		IDToken string `json:"id_token"`
	}
	require.NoError(t, json.Unmarshal([]byte(tokenResponse), &resp))
	jws, err := jose.ParseSignedCompact(resp.IDToken,
		[]jose.SignatureAlgorithm{jose.RS256, jose.RS512})
	require.NoError(t, err, "the id_token must be a JWS: %s", tokenResponse)
	var claims map[string]any
	require.NoError(t, json.Unmarshal(jws.UnsafePayloadWithoutVerification(), &claims))
	return claims
}

// TestConcurrentFlows runs whole sign-ins in parallel against one server;
// -race checks the shared state.
func TestConcurrentFlows(t *testing.T) {
	s, _ := newTestServer(t)
	for _, name := range []string{"A", "B", "C", "D"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			code := freshCode(t, s, travelParams())
			resp, body := tokenRequest(t, s, codeForm(code), travelID, travelSecret)
			assert.Equal(t, http.StatusOK, resp.StatusCode, "each flow gets tokens: %s", body)
		})
	}
}
