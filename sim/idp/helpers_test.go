package idp

import (
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
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
)

// The registered clients every test server knows.
const (
	testBase        = "http://127.0.0.1:8081"
	travelCallback  = "http://127.0.0.1:8080/auth/callback"
	travelID        = "travel"
	travelSecret    = "travel-secret"
	otherID         = "other-site"
	otherSecret     = "other-secret"
	legacyID        = "legacy"
	publicID        = "spa"
	facebookID      = "travel-fb"
	facebookSecret  = "fb-secret"
	otherCallback   = "http://localhost:9090/cb"
	legacyCallback  = "http://127.0.0.1:8080/legacy/callback?from=idp"
	publicCallback  = "http://127.0.0.1:8080/spa/callback"
	facebookCallbck = "http://127.0.0.1:8080/auth/facebook/callback"
)

// loadTestKeys reads the RSA keys in testdata once, so no test pays for
// key generation.
var loadTestKeys = sync.OnceValues(func() ([]*rsa.PrivateKey, error) {
	var keys []*rsa.PrivateKey
	for i := 1; i <= 4; i++ {
		b, err := os.ReadFile(fmt.Sprintf("testdata/rsa%d.pem", i))
		if err != nil {
			return nil, err
		}
		block, _ := pem.Decode(b)
		if block == nil {
			return nil, fmt.Errorf("testdata/rsa%d.pem: no PEM block", i)
		}
		k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return keys, nil
})

// testClock is a clock that moves only when told to.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// testConfig is the configuration of the servers under test.
func testConfig(t testing.TB, clock *testClock) Config {
	t.Helper()
	keys, err := loadTestKeys()
	require.NoError(t, err, "the test keys in testdata must load")
	return Config{
		BaseURL: testBase,
		Clients: []Client{
			{Provider: Google, ID: travelID, Secret: travelSecret, Name: "Callback Travel",
				RedirectURIs: []string{travelCallback}},
			{Provider: Google, ID: otherID, Secret: otherSecret, Name: "Other Site",
				RedirectURIs: []string{otherCallback}},
			{Provider: Google, ID: legacyID, Secret: "legacy-secret", PKCEOptional: true,
				RedirectURIs: []string{legacyCallback}},
			{Provider: Google, ID: publicID, RedirectURIs: []string{publicCallback}},
			{Provider: Facebook, ID: facebookID, Secret: facebookSecret, Name: "Callback Travel",
				RedirectURIs: []string{facebookCallbck}},
		},
		Now:  clock.Now,
		Keys: append([]*rsa.PrivateKey(nil), keys...),
	}
}

// newTestServer returns a server on a test clock.
func newTestServer(t testing.TB) (*Server, *testClock) {
	t.Helper()
	clock := &testClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	s, err := New(testConfig(t, clock))
	require.NoError(t, err, "New must accept the test configuration")
	return s, clock
}

// browser is a user agent with cookies that does not follow redirects, so
// each test sees every hop.
type browser struct {
	t      testing.TB
	client *http.Client
}

func newBrowser(t testing.TB, rt http.RoundTripper) *browser {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &browser{t: t, client: &http.Client{
		Transport: rt, Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}}
}

// get fetches a URL and returns the response with its body read.
func (b *browser) get(rawURL string) (*http.Response, string) {
	b.t.Helper()
	resp, err := b.client.Get(rawURL)
	require.NoError(b.t, err, "GET %s", rawURL)
	return resp, readBody(b.t, resp)
}

// post sends a form and returns the response with its body read.
func (b *browser) post(rawURL string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	resp, err := b.client.PostForm(rawURL, form)
	require.NoError(b.t, err, "POST %s", rawURL)
	return resp, readBody(b.t, resp)
}

func readBody(t testing.TB, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err, "reading the response body")
	return string(b)
}

var hiddenField = regexp.MustCompile(`<input type="hidden" name="(txn|csrf)" value="([^"]*)">`)

// formFields returns the hidden txn and csrf fields of a sign-in or consent page.
func formFields(t testing.TB, page string) url.Values {
	t.Helper()
	form := url.Values{}
	for _, m := range hiddenField.FindAllStringSubmatch(page, -1) {
		form.Set(m[1], m[2])
	}
	require.NotEmpty(t, form.Get("txn"), "the page must carry a txn field:\n%s", page)
	require.NotEmpty(t, form.Get("csrf"), "the page must carry a csrf field")
	return form
}

// signInAs answers a sign-in page as a persona and returns the consent page.
func (b *browser) signInAs(provider, signInPage, persona string) string {
	b.t.Helper()
	form := formFields(b.t, signInPage)
	form.Set("persona", persona)
	resp, _ := b.post(testBase+"/"+provider+"/signin", form)
	require.Equal(b.t, http.StatusSeeOther, resp.StatusCode,
		"the sign-in form must answer 303 See Other")
	resp, page := b.get(resp.Header.Get("Location"))
	require.Equal(b.t, http.StatusOK, resp.StatusCode, "the consent page must load: %s", page)
	return page
}

// consent answers a consent page and returns where the browser is sent.
func (b *browser) consent(provider, consentPage, decision string) *url.URL {
	b.t.Helper()
	form := formFields(b.t, consentPage)
	form.Set("decision", decision)
	resp, body := b.post(testBase+"/"+provider+"/consent", form)
	require.Equal(b.t, http.StatusSeeOther, resp.StatusCode,
		"the consent form must answer 303 See Other: %s", body)
	u, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(b.t, err, "the redirect must be a URL")
	return u
}

// login runs the whole front channel: authorize, sign in as alice, allow.
// It returns the query the client's callback receives.
func (b *browser) login(provider, authURL string) url.Values {
	b.t.Helper()
	resp, page := b.get(authURL)
	require.Equal(b.t, http.StatusOK, resp.StatusCode, "the sign-in page must load: %s", page)
	consent := b.signInAs(provider, page, "alice")
	return b.consent(provider, consent, "allow").Query()
}

// authURL builds an authorization URL for Google (mock) from parameters.
func authURL(params url.Values) string {
	return testBase + "/google/authorize?" + params.Encode()
}

// travelParams are a good authorization request from the travel site.
func travelParams() url.Values {
	return url.Values{
		"client_id":             {travelID},
		"redirect_uri":          {travelCallback},
		"response_type":         {"code"},
		"scope":                 {"openid email profile"},
		"state":                 {"st-123"},
		"nonce":                 {"n-456"},
		"code_challenge":        {s256(testVerifier)},
		"code_challenge_method": {"S256"},
	}
}

const testVerifier = "verifier-0123456789-0123456789-0123456789-abc"

// tokenRequest posts to the token endpoint as the travel site, with Basic
// authentication unless the form carries client_secret.
func tokenRequest(t testing.TB, h http.Handler, form url.Values, id, secret string) (
	*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, testBase+"/google/token",
		strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if id != "" {
		req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
	}
	resp, err := (&http.Client{Transport: InMemoryTransport(h)}).Do(req)
	require.NoError(t, err)
	return resp, readBody(t, resp)
}

// codeForm is the token request that redeems code as the travel site.
func codeForm(code string) url.Values {
	return url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {code},
		"redirect_uri":  {travelCallback},
		"code_verifier": {testVerifier},
	}
}

// s256 is the S256 code challenge of a verifier.
func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
