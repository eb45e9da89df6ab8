package idp

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exchangeWithQuirks signs in and redeems the code with q switched on at
// Google (mock), returning the token response.
func exchangeWithQuirks(t *testing.T, q Quirks) (*http.Response, string) {
	t.Helper()
	s, _ := newTestServer(t)
	s.SetQuirks(Google, q)
	return tokenRequest(t, s, codeForm(freshCode(t, s, travelParams())), travelID, travelSecret)
}

func TestQuirkExpiresInAsString(t *testing.T) {
	_, body := exchangeWithQuirks(t, Quirks{ExpiresInAsString: true})
	assert.Contains(t, body, `"expires_in":"3600"`, "expires_in must be sent as a string")
}

func TestQuirkTokenResponseAsTextPlain(t *testing.T) {
	resp, _ := exchangeWithQuirks(t, Quirks{TokenResponseAsTextPlain: true})
	assert.Contains(t, resp.Header.Get("Content-Type"), "text/plain", "the wrong content type")
}

func TestQuirkTokenErrorWithStatusOK(t *testing.T) {
	s, _ := newTestServer(t)
	s.SetQuirks(Google, Quirks{TokenErrorWithStatusOK: true})
	resp, body := tokenRequest(t, s, codeForm("made-up"), travelID, travelSecret)
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the error must come with status 200")
	assert.Equal(t, errInvalidGrant, decodeTokenError(t, body).Error, "and an error body")
}

func TestQuirkEmailVerifiedAsString(t *testing.T) {
	_, body := exchangeWithQuirks(t, Quirks{EmailVerifiedAsString: true})
	assert.Equal(t, "true", idTokenClaims(t, body)["email_verified"],
		"email_verified must be the string \"true\"")
}

func TestQuirkClockSkew(t *testing.T) {
	s, clock := newTestServer(t)
	s.SetQuirks(Google, Quirks{ClockSkewSeconds: 600})
	_, body := tokenRequest(t, s, codeForm(freshCode(t, s, travelParams())),
		travelID, travelSecret)
	assert.Equal(t, float64(clock.Now().Unix()+600), idTokenClaims(t, body)["iat"],
		"iat must be 600 seconds ahead of the real clock")
}

func TestQuirkDropNonce(t *testing.T) {
	_, body := exchangeWithQuirks(t, Quirks{DropNonce: true})
	assert.NotContains(t, idTokenClaims(t, body), "nonce", "the nonce must be missing")
}

func TestQuirkNonceFromAnotherSession(t *testing.T) {
	s, _ := newTestServer(t)
	s.SetQuirks(Google, Quirks{NonceFromAnotherSession: true})
	code := freshCode(t, s, travelParams())
	other := travelParams()
	other.Set("nonce", "someone-elses-nonce")
	newBrowser(t, InMemoryTransport(s)).get(authURL(other))

	_, body := tokenRequest(t, s, codeForm(code), travelID, travelSecret)
	assert.Equal(t, "someone-elses-nonce", idTokenClaims(t, body)["nonce"],
		"the ID token must carry the other session's nonce")
}

func TestQuirkSignWithUnlistedAlgorithm(t *testing.T) {
	s, clock := newTestServer(t)
	s.SetQuirks(Google, Quirks{SignWithUnlistedAlgorithm: true})
	_, body := tokenRequest(t, s, codeForm(freshCode(t, s, travelParams())),
		travelID, travelSecret)
	raw := rawIDToken(t, body)

	ctx := oidc.ClientContext(context.Background(), &http.Client{Transport: InMemoryTransport(s)})
	p, err := oidc.NewProvider(ctx, s.Issuer(Google))
	require.NoError(t, err)
	_, err = p.Verifier(&oidc.Config{ClientID: travelID, Now: clock.Now}).Verify(ctx, raw)
	assert.ErrorContains(t, err, "RS512", "go-oidc must refuse an algorithm discovery omits")
}

// TestRotateKeys checks that a rotation publishes the new key first and keeps
// the old one, so tokens from before and after both verify.
func TestRotateKeys(t *testing.T) {
	s, clock := newTestServer(t)
	_, body := tokenRequest(t, s, codeForm(freshCode(t, s, travelParams())),
		travelID, travelSecret)
	before := rawIDToken(t, body)

	require.NoError(t, s.RotateKeys(), "rotation with a spare key must work")
	_, body = tokenRequest(t, s, codeForm(freshCode(t, s, travelParams())),
		travelID, travelSecret)
	after := rawIDToken(t, body)
	assert.NotEqual(t, kidOf(t, before), kidOf(t, after), "a rotation changes the kid")

	var set jose.JSONWebKeySet
	getJSON(t, InMemoryTransport(s), s.Issuer(Google)+"/jwks", &set)
	require.Len(t, set.Keys, 2, "the JWKS holds the new and the previous key")
	assert.Equal(t, kidOf(t, after), set.Keys[0].KeyID, "the new key is listed first")

	ctx := oidc.ClientContext(context.Background(), &http.Client{Transport: InMemoryTransport(s)})
	p, err := oidc.NewProvider(ctx, s.Issuer(Google))
	require.NoError(t, err)
	v := p.Verifier(&oidc.Config{ClientID: travelID, Now: clock.Now})
	for name, raw := range map[string]string{"before": before, "after": after} {
		_, err := v.Verify(ctx, raw)
		assert.NoError(t, err, "the token from %s the rotation must verify", name)
	}
}

func TestQuirkRotateKeysEveryIDToken(t *testing.T) {
	s, _ := newTestServer(t)
	s.SetQuirks(Google, Quirks{RotateKeysEveryIDToken: true})
	var kids []string
	for range 2 {
		_, body := tokenRequest(t, s, codeForm(freshCode(t, s, travelParams())),
			travelID, travelSecret)
		kids = append(kids, kidOf(t, rawIDToken(t, body)))
	}
	assert.NotEqual(t, kids[0], kids[1], "each ID token must come with a new kid")
}

// TestQuirkSwitchesListsEveryField checks the control panel's list against
// the struct, and Set against the fields.
func TestQuirkSwitchesListsEveryField(t *testing.T) {
	switches := QuirkSwitches()
	require.Len(t, switches, reflect.TypeFor[Quirks]().NumField(), "one switch per field")
	var q Quirks
	for _, sw := range switches {
		assert.NotEmpty(t, sw.Doc, "switch %s needs a description", sw.Name)
		assert.NoError(t, q.Set(sw.Name, 1), "Set(%q) must work", sw.Name)
	}
	assert.Equal(t, Quirks{ExpiresInAsString: true, TokenResponseAsTextPlain: true,
		TokenErrorWithStatusOK: true, EmailVerifiedAsString: true, ClockSkewSeconds: 1,
		RotateKeysEveryIDToken: true, SignWithUnlistedAlgorithm: true, DropNonce: true,
		NonceFromAnotherSession: true}, q, "every switch must be on")
	assert.Error(t, q.Set("NoSuchQuirk", 1), "an unknown name is an error")
}

// TestSetQuirksConcurrently flips quirks while requests run; -race checks it.
func TestSetQuirksConcurrently(t *testing.T) {
	s, _ := newTestServer(t)
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range 50 {
			s.SetQuirks(Google, Quirks{ClockSkewSeconds: i})
		}
	})
	for range 3 {
		wg.Go(func() {
			req := httptest.NewRequest(http.MethodGet, authURL(travelParams()), nil)
			s.ServeHTTP(httptest.NewRecorder(), req)
			_ = s.Quirks(Google)
		})
	}
	wg.Wait()
	assert.Equal(t, 49, s.Quirks(Google).ClockSkewSeconds, "the last SetQuirks wins")
}

func rawIDToken(t *testing.T, tokenResponse string) string {
	t.Helper()
	var resp struct {
		IDToken string `json:"id_token"`
	}
	require.NoError(t, json.Unmarshal([]byte(tokenResponse), &resp), tokenResponse)
	require.NotEmpty(t, resp.IDToken, "the response must carry an id_token: %s", tokenResponse)
	return resp.IDToken
}

func kidOf(t *testing.T, raw string) string {
	t.Helper()
	jws, err := jose.ParseSignedCompact(raw, []jose.SignatureAlgorithm{jose.RS256, jose.RS512})
	require.NoError(t, err)
	return jws.Signatures[0].Header.KeyID
}
