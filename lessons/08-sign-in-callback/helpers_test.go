package signin

import (
	"bytes"
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"callbacklab/sim"
	"callbacklab/sim/idp"
)

// The simulated world: the provider and the travel site on two made-up hosts, reached only
// in memory.
const (
	idpHost      = "idp.example"
	siteHost     = "travel.example"
	issuer       = "http://" + idpHost + "/google"
	siteBase     = "http://" + siteHost
	redirectURL  = siteBase + "/auth/callback"
	clientID     = "travel"
	clientSecret = "travel-secret-0123456789"
)

// testKeys reads the RSA keys the provider signs with, once: generating them would make every
// test slow. They are test keys, published with the lesson; never use them for anything else.
var testKeys = sync.OnceValues(func() ([]*rsa.PrivateKey, error) {
	rest, err := os.ReadFile("testdata/rsa-test-keys.pem")
	if err != nil {
		return nil, err
	}
	var keys []*rsa.PrivateKey
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, errors.New("testdata/rsa-test-keys.pem holds no keys")
	}
	return keys, nil
})

// clock is a test clock shared by the provider and the site; it moves only when told to.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// world is one provider and one travel site using the learner's SignIn.
type world struct {
	clock    *clock
	provider *idp.Server
	site     http.Handler // the learner's SignIn.Handler()
	hosts    map[string]http.Handler
}

// newWorld starts Google (mock) with the travel site registered, and the learner's SignIn.
// When siteTransport is not nil it wraps the site's own requests to the provider.
func newWorld(t *testing.T, q idp.Quirks,
	siteTransport func(http.RoundTripper) http.RoundTripper) *world {
	t.Helper()
	keys, err := testKeys()
	require.NoError(t, err, "test setup: the provider's keys must load")
	w := &world{clock: &clock{now: time.Date(2026, 12, 24, 8, 0, 0, 0, time.UTC)}}
	w.provider, err = idp.New(idp.Config{
		BaseURL: "http://" + idpHost,
		Clients: []idp.Client{{
			Provider: idp.Google, ID: clientID, Secret: clientSecret, Name: "Callback Travel",
			RedirectURIs: []string{redirectURL},
		}},
		Now:  w.clock.Now,
		Keys: append([]*rsa.PrivateKey(nil), keys...),
	})
	require.NoError(t, err, "test setup: the provider must start")
	w.provider.SetQuirks(idp.Google, q)

	var back http.RoundTripper = sim.InMemory(map[string]http.Handler{idpHost: w.provider})
	if siteTransport != nil {
		back = siteTransport(back)
	}
	s := newSignIn(t, Config{
		Issuer: issuer, ClientID: clientID, ClientSecret: clientSecret,
		RedirectURL: redirectURL, HTTPClient: &http.Client{Transport: back}, Now: w.clock.Now,
	})
	noPanic(t, "Handler", func() { w.site = s.Handler() })
	require.NotNil(t, w.site, "SignIn.Handler() returned nil; it must return the site's routes")
	w.hosts = map[string]http.Handler{idpHost: w.provider, siteHost: w.site}
	return w
}

// newSignIn calls the learner's New and requires it to work.
func newSignIn(t *testing.T, cfg Config) *SignIn {
	t.Helper()
	var s *SignIn
	var err error
	noPanic(t, "New", func() { s, err = New(context.Background(), cfg) })
	require.NoError(t, err, "New with Issuer %q must find the provider's discovery document "+
		"through cfg.HTTPClient (use oidc.ClientContext)", cfg.Issuer)
	require.NotNil(t, s, "New returned a nil *SignIn and no error")
	return s
}

// noPanic runs f and turns a panic into a test failure that names what panicked.
func noPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("%s panicked: %v\nFix the panic first.", what, r)
		}
	}()
	f()
}

// browser is a traveller's browser: it keeps cookies and shows every redirect to the test
// instead of following it.
type browser struct {
	t      *testing.T
	client *http.Client
}

func (w *world) browser(t *testing.T) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &browser{t: t, client: &http.Client{
		Transport: sim.InMemory(w.hosts), Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}}
}

// get fetches a URL and returns the response with its body read.
func (b *browser) get(rawURL string) (*http.Response, string) {
	b.t.Helper()
	res, err := b.client.Get(rawURL)
	require.NoError(b.t, err, "GET %s", rawURL)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(b.t, err)
	return res, string(body)
}

// startLogin opens the site's /login and returns where it sends the browser.
func (b *browser) startLogin() *url.URL {
	b.t.Helper()
	res, body := b.get(siteBase + "/login")
	require.Equal(b.t, http.StatusFound, res.StatusCode, "GET /login must answer 302 Found "+
		"and send the browser to the provider; got %d %q", res.StatusCode, strings.TrimSpace(body))
	to, err := url.Parse(res.Header.Get("Location"))
	require.NoError(b.t, err, "the Location of GET /login must be a URL")
	require.Equal(b.t, issuer+"/authorize", to.Scheme+"://"+to.Host+to.Path, "GET /login must "+
		"send the browser to the provider's authorization endpoint (from discovery); "+
		"Location was %q", to)
	return to
}

// page is a provider page the browser shows.
type page struct {
	url  *url.URL
	body string
}

var (
	formAction  = regexp.MustCompile(`<form method="post" action="([^"]*)">`)
	hiddenInput = regexp.MustCompile(`<input type="hidden" name="(txn|csrf)" value="([^"]*)">`)
)

// openProvider loads the authorization URL and returns the provider's sign-in page.
func (b *browser) openProvider(authURL *url.URL) page {
	b.t.Helper()
	res, body := b.get(authURL.String())
	require.Equal(b.t, http.StatusOK, res.StatusCode, "the provider must show its sign-in page "+
		"for the authorization request %s; it said %d:\n%s", authURL, res.StatusCode, body)
	return page{url: authURL, body: body}
}

// answer fills in the provider's pages, as persona and with decision "allow" or "deny", and
// returns the URL the provider sends the browser back to, without visiting it.
func (b *browser) answer(p page, persona, decision string) *url.URL {
	b.t.Helper()
	for range 4 {
		form := url.Values{}
		for _, m := range hiddenInput.FindAllStringSubmatch(p.body, -1) {
			form.Set(m[1], m[2])
		}
		action := formAction.FindStringSubmatch(p.body)
		require.NotNil(b.t, action, "the provider's page has no form:\n%s", p.body)
		if strings.Contains(p.body, `name="decision"`) {
			form.Set("decision", decision)
		} else {
			form.Set("persona", persona)
		}
		res, err := b.client.PostForm(action[1], form)
		require.NoError(b.t, err)
		_ = res.Body.Close()
		require.Equal(b.t, http.StatusSeeOther, res.StatusCode, "test setup: the provider's "+
			"form must answer 303")
		next, err := url.Parse(res.Header.Get("Location"))
		require.NoError(b.t, err)
		if next.Host == siteHost {
			return next
		}
		p = b.openProvider(next)
	}
	b.t.Fatal("test setup: the provider never sent the browser back to the site")
	return nil
}

// signIn runs the front channel as persona with "allow", and returns the callback URL.
func (b *browser) signIn(persona string) *url.URL {
	b.t.Helper()
	return b.answer(b.openProvider(b.startLogin()), persona, "allow")
}

// me asks the site who is signed in in this browser.
func (b *browser) me() (int, User) {
	b.t.Helper()
	res, body := b.get(siteBase + "/me")
	var u User
	if res.StatusCode == http.StatusOK {
		require.NoError(b.t, json.Unmarshal([]byte(body), &u), "GET /me must answer JSON "+
			"such as {\"subject\": \"...\", \"email\": \"...\", \"name\": \"...\"}; got %q", body)
	}
	return res.StatusCode, u
}

// withQuery returns u with one query parameter changed.
func withQuery(u *url.URL, key, value string) *url.URL {
	c := *u
	q := c.Query()
	q.Set(key, value)
	c.RawQuery = q.Encode()
	return &c
}

// tamperIDToken is a man in the middle on the site's back channel: it changes the email in
// the ID token of every token response, keeping the provider's signature.
type tamperIDToken struct{ next http.RoundTripper }

func (m tamperIDToken) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := m.next.RoundTrip(req)
	if err != nil || !strings.HasSuffix(req.URL.Path, "/token") {
		return res, err
	}
	body, err := io.ReadAll(res.Body)
	_ = res.Body.Close()
	if err != nil {
		return nil, err
	}
	var tok map[string]any
	if json.Unmarshal(body, &tok) == nil {
		if raw, ok := tok["id_token"].(string); ok {
			parts := strings.Split(raw, ".")
			if len(parts) == 3 {
				claims, _ := base64.RawURLEncoding.DecodeString(parts[1])
				claims = bytes.ReplaceAll(claims, []byte("alice@example.com"),
					[]byte("admin@example.com"))
				parts[1] = base64.RawURLEncoding.EncodeToString(claims)
				tok["id_token"] = strings.Join(parts, ".")
				body, _ = json.Marshal(tok)
			}
		}
	}
	res.Body = io.NopCloser(bytes.NewReader(body))
	res.ContentLength = int64(len(body))
	res.Header.Set("Content-Length", fmt.Sprint(len(body)))
	return res, nil
}
