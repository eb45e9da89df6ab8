package signin

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"callbacklab/sim"
	"callbacklab/sim/idp"
)

// alice is the persona the tests sign in as, as the site must see her.
var alice = User{Subject: "104729000000000001", Email: "alice@example.com", Name: "Alice Martin"}

func TestLoginRedirect(t *testing.T) {
	t.Parallel()
	w := newWorld(t, idp.Quirks{}, nil)
	b := w.browser(t)

	first, second := b.startLogin().Query(), b.startLogin().Query()

	want := map[string]string{
		"client_id": clientID, "redirect_uri": redirectURL, "response_type": "code",
		"code_challenge_method": "S256",
	}
	for k, v := range want {
		assert.Equal(t, v, first.Get(k), "the authorization request must carry %s=%q", k, v)
	}
	assert.Contains(t, strings.Fields(first.Get("scope")), "openid", "the scope must "+
		"include \"openid\", or the provider sends no ID token; got scope=%q", first.Get("scope"))
	for _, k := range []string{"state", "nonce", "code_challenge"} {
		assert.NotEmpty(t, first.Get(k), "the authorization request must carry a %s", k)
		assert.NotEqual(t, first.Get(k), second.Get(k), "each sign-in needs its own random %s; "+
			"two calls of GET /login both sent %q", k, first.Get(k))
	}
	assert.GreaterOrEqual(t, len(first.Get("state")), 16, "state %q is too short to be "+
		"unguessable; use crypto/rand (rand.Text())", first.Get("state"))
}

func TestSignIn(t *testing.T) {
	t.Parallel()
	w := newWorld(t, idp.Quirks{}, nil)
	b := w.browser(t)

	callback := b.signIn("alice")
	res, body := b.get(callback.String())

	require.Equal(t, http.StatusSeeOther, res.StatusCode, "the provider called the site back "+
		"at %s; after checking state, exchanging the code and verifying the ID token, the "+
		"site must answer 303 See Other to \"/\". Got %d %q", callback.Path, res.StatusCode,
		strings.TrimSpace(body))
	assert.Equal(t, "/", res.Header.Get("Location"), "after signing in, send the traveller "+
		"to \"/\"")
	var session *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == SessionCookie {
			session = c
		}
	}
	require.NotNil(t, session, "the callback must set the %q cookie", SessionCookie)
	assert.True(t, session.HttpOnly, "the session cookie must be HttpOnly, so that scripts "+
		"on the page cannot read it")

	code, got := b.me()
	require.Equal(t, http.StatusOK, code, "after signing in, GET /me must answer 200")
	if diff := cmp.Diff(alice, got); diff != "" {
		t.Errorf("GET /me must describe the traveller from the ID token's claims "+
			"(sub, email, name) (-want +got):\n%s", diff)
	}
}

func TestNotSignedIn(t *testing.T) {
	t.Parallel()
	w := newWorld(t, idp.Quirks{}, nil)
	b := w.browser(t)

	code, _ := b.me()
	assert.Equal(t, http.StatusUnauthorized, code, "GET /me with no session must answer 401")

	u, _ := url.Parse(siteBase)
	b.client.Jar.SetCookies(u, []*http.Cookie{{Name: SessionCookie, Value: "made-up"}})
	code, _ = b.me()
	assert.Equal(t, http.StatusUnauthorized, code, "GET /me with a session cookie the site "+
		"never issued (\"made-up\") must answer 401")
}

// attack is one way a callback can be wrong.
type attack struct {
	name string
	// why says what is wrong, for the failure message.
	why string
	// quirks and transport set up the world; transport wraps the site's back channel.
	quirks    idp.Quirks
	transport func(http.RoundTripper) http.RoundTripper
	// callback returns the browser that visits the site's callback, and the URL it visits.
	callback func(t *testing.T, w *world) (*browser, *url.URL)
	wantCode int
}

// own is the usual callback: a browser signs in as alice and comes back with the provider's
// answer, changed by change when it is not nil.
func own(change func(*url.URL) *url.URL) func(t *testing.T, w *world) (*browser, *url.URL) {
	return func(t *testing.T, w *world) (*browser, *url.URL) {
		b := w.browser(t)
		cb := b.signIn("alice")
		if change != nil {
			cb = change(cb)
		}
		return b, cb
	}
}

// TestCallbackAttacks sends the site callbacks it must refuse with 400 Bad Request, before
// it even talks to the provider.
func TestCallbackAttacks(t *testing.T) {
	t.Parallel()
	runAttacks(t, []attack{
		{
			name: "wrong_state", wantCode: http.StatusBadRequest,
			why: "its state is not the one this browser's sign-in sent",
			callback: own(func(u *url.URL) *url.URL {
				return withQuery(u, "state", "state-from-an-attacker")
			}),
		},
		{
			name: "no_sign_in_in_this_browser", wantCode: http.StatusBadRequest,
			why: "this browser never started a sign-in: it is an attacker's callback URL sent " +
				"to a victim, which would sign the victim in as the attacker (login CSRF)",
			callback: func(t *testing.T, w *world) (*browser, *url.URL) {
				attackers := w.browser(t).signIn("bob")
				return w.browser(t), attackers
			},
		},
		{
			name: "issuer_does_not_match", wantCode: http.StatusBadRequest,
			why: "its iss parameter names another provider (a mix-up attack); when iss is " +
				"present it must equal the configured issuer",
			callback: own(func(u *url.URL) *url.URL {
				return withQuery(u, "iss", "http://evil.example/google")
			}),
		},
		{
			name: "no_code", wantCode: http.StatusBadRequest,
			why:      "it carries no code",
			callback: own(func(u *url.URL) *url.URL { return withQuery(u, "code", "") }),
		},
		{
			name: "sign_in_took_too_long", wantCode: http.StatusBadRequest,
			why: "the sign-in started more than LoginTTL (10 minutes) ago",
			callback: func(t *testing.T, w *world) (*browser, *url.URL) {
				b := w.browser(t)
				authURL := b.startLogin()
				w.clock.Advance(LoginTTL + time.Minute)
				return b, b.answer(b.openProvider(authURL), "alice", "allow")
			},
		},
		{
			name: "traveller_declined", wantCode: http.StatusUnauthorized,
			why: "the traveller pressed Decline: the provider sent error=access_denied",
			callback: func(t *testing.T, w *world) (*browser, *url.URL) {
				b := w.browser(t)
				return b, b.answer(b.openProvider(b.startLogin()), "alice", "deny")
			},
		},
	})
}

// TestTokenAttacks makes the code exchange or the ID token go wrong; the site must refuse
// with 401 Unauthorized.
func TestTokenAttacks(t *testing.T) {
	t.Parallel()
	runAttacks(t, []attack{
		{
			name: "code_replayed", wantCode: http.StatusUnauthorized,
			why: "its code was already exchanged: an attacker copied alice's callback URL " +
				"and replays her code in a sign-in of their own; the provider refuses it",
			callback: func(t *testing.T, w *world) (*browser, *url.URL) {
				victim := w.browser(t)
				stolen := victim.signIn("alice")
				res, _ := victim.get(stolen.String())
				require.Equal(t, http.StatusSeeOther, res.StatusCode, "alice's own sign-in "+
					"must work (303)")

				attacker := w.browser(t)
				state := attacker.startLogin().Query().Get("state")
				return attacker, withQuery(stolen, "state", state)
			},
		},
		{
			name: "tampered_id_token", wantCode: http.StatusUnauthorized,
			why: "someone changed the email in the ID token to admin@example.com; the " +
				"signature no longer matches",
			transport: func(next http.RoundTripper) http.RoundTripper {
				return tamperIDToken{next: next}
			},
			callback: own(nil),
		},
		{
			name: "expired_id_token", wantCode: http.StatusUnauthorized,
			why: "the provider's clock is two hours behind, so its ID token expired an hour " +
				"ago by the site's clock (pass Config.Now to the verifier)",
			quirks:   idp.Quirks{ClockSkewSeconds: -2 * 3600},
			callback: own(nil),
		},
		{
			name: "nonce_missing", wantCode: http.StatusUnauthorized,
			why:      "the ID token carries no nonce, though the sign-in sent one",
			quirks:   idp.Quirks{DropNonce: true},
			callback: own(nil),
		},
		{
			name: "algorithm_not_in_discovery", wantCode: http.StatusUnauthorized,
			why: "the ID token is signed with RS512, which the provider's discovery " +
				"document does not list",
			quirks:   idp.Quirks{SignWithUnlistedAlgorithm: true},
			callback: own(nil),
		},
		{
			name: "token_response_not_json", wantCode: http.StatusUnauthorized,
			why: "the token endpoint answered text/plain, so no token can be read from it; " +
				"refuse rather than crash",
			quirks:   idp.Quirks{TokenResponseAsTextPlain: true},
			callback: own(nil),
		},
		{
			name: "nonce_of_another_session", wantCode: http.StatusUnauthorized,
			why: "the ID token carries the nonce of another browser's sign-in, so it was " +
				"not issued for this one",
			quirks: idp.Quirks{NonceFromAnotherSession: true},
			callback: func(t *testing.T, w *world) (*browser, *url.URL) {
				mine, other := w.browser(t), w.browser(t)
				myPage := mine.openProvider(mine.startLogin())
				other.openProvider(other.startLogin()) // the provider's latest request
				return mine, mine.answer(myPage, "alice", "allow")
			},
		},
	})
}

// runAttacks visits each attack's callback and checks that the site refuses it and starts no
// session.
func runAttacks(t *testing.T, attacks []attack) {
	t.Helper()
	for _, a := range attacks {
		t.Run(a.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, a.quirks, a.transport)
			b, cb := a.callback(t, w)

			res, body := b.get(cb.String())
			assert.Equal(t, a.wantCode, res.StatusCode, "GET %s must be refused with %d %s: %s. "+
				"Got %d %q", cb.Path+"?"+cb.RawQuery, a.wantCode, http.StatusText(a.wantCode),
				a.why, res.StatusCode, strings.TrimSpace(body))
			for _, c := range res.Cookies() {
				assert.False(t, c.Name == SessionCookie && c.MaxAge >= 0 && c.Value != "",
					"a refused callback must not set the %q cookie", SessionCookie)
			}
			if a.name != "code_replayed" || res.StatusCode != a.wantCode {
				code, u := b.me()
				assert.Equal(t, http.StatusUnauthorized, code, "after a refused callback, "+
					"GET /me must still answer 401; it said %d with %+v", code, u)
			}
		})
	}
}

// TestQuirksTheSiteCopesWith signs in through a provider with a harmless quirk switched on.
func TestQuirksTheSiteCopesWith(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		quirks idp.Quirks
	}{
		{name: "expires_in_as_string", quirks: idp.Quirks{ExpiresInAsString: true}},
		{name: "email_verified_as_string", quirks: idp.Quirks{EmailVerifiedAsString: true}},
		{name: "provider_clock_a_minute_ahead", quirks: idp.Quirks{ClockSkewSeconds: 60}},
		{name: "new_key_for_every_id_token", quirks: idp.Quirks{RotateKeysEveryIDToken: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, tt.quirks, nil)
			for i, persona := range []string{"alice", "bob"} { // twice: keys may rotate
				b := w.browser(t)
				cb := b.signIn(persona)
				res, body := b.get(cb.String())
				require.Equal(t, http.StatusSeeOther, res.StatusCode, "sign-in %d (as %s) "+
					"through a provider with quirk %s must still work: answer 303. Got %d %q",
					i+1, persona, tt.name, res.StatusCode, strings.TrimSpace(body))
				code, u := b.me()
				assert.Equal(t, http.StatusOK, code, "GET /me after sign-in %d", i+1)
				assert.Contains(t, u.Email, persona, "GET /me after signing in as %s", persona)
			}
		})
	}
}

func TestNewChecksTheProvider(t *testing.T) {
	t.Parallel()
	w := newWorld(t, idp.Quirks{}, nil)
	client := &http.Client{Transport: sim.InMemory(map[string]http.Handler{idpHost: w.provider})}
	tests := []struct {
		name   string
		issuer string
		why    string
	}{
		{name: "issuer_with_a_trailing_slash", issuer: issuer + "/",
			why: "the discovery document names " + issuer + ", not this issuer; an " +
				"issuer must match exactly"},
		{name: "provider_without_discovery", issuer: "http://" + idpHost + "/facebook",
			why: "Facebook (mock) is plain OAuth 2.0: it has no discovery document"},
		{name: "unknown_host", issuer: "http://nowhere.example/google",
			why: "nothing answers there"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var err error
			noPanic(t, "New", func() {
				_, err = New(context.Background(), Config{
					Issuer: tt.issuer, ClientID: clientID, ClientSecret: clientSecret,
					RedirectURL: redirectURL, HTTPClient: client, Now: w.clock.Now,
				})
			})
			assert.Error(t, err, "New with Issuer %q must return an error: %s", tt.issuer,
				tt.why)
		})
	}
}
