package travel_test

import (
	"bytes"
	"errors"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"callbacklab/sim/travel"
)

// issuer is the OpenID issuer of the test provider.
const issuer = "http://127.0.0.1:8081/google"

// clock is a settable test clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// newSignInSite returns a site with one OpenID provider whose back channel
// always fails, so that no test reaches the network.
func newSignInSite(t *testing.T, c *clock) *travel.Site {
	t.Helper()
	noNetwork := roundTripper(func(*http.Request) (*http.Response, error) {
		return nil, errors.New("no network in tests")
	})
	s, err := travel.New(travel.Config{
		Origin: origin, BookingURL: "http://127.0.0.1:8082",
		BookingToken: "token-0123456789abcdef", WebhookSecret: secret, Now: c.now,
		HTTPClient: &http.Client{Transport: noNetwork},
		Providers: []travel.Provider{{Name: "google", Label: "Google (mock)", Issuer: issuer,
			ClientID: "travel", Endpoint: oauth2.Endpoint{
				AuthURL: issuer + "/authorize", TokenURL: issuer + "/token"}}},
	})
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// post sends a form from the site's own page unless header says otherwise.
func post(s http.Handler, path, contentType string, body []byte,
	header http.Header) *httptest.ResponseRecorder {
	r := httptest.NewRequest("POST", origin+path, bytes.NewReader(body))
	r.Header.Set("Content-Type", contentType)
	r.Header.Set("Origin", origin)
	for k, v := range header {
		r.Header[k] = v
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

const urlencoded = "application/x-www-form-urlencoded"

// validForm is a booking that passes every check on now.
func validForm() url.Values {
	return url.Values{"name": {"Alice Martin"}, "email": {"alice@example.com"},
		"phone": {"+33 1 23 45 67 89"}, "from": {"London"}, "to": {"Paris"},
		"date": {"2026-12-24"}, "time": {"09:30"}, "ticket_type": {"economy"}}
}

func TestBookFormIsReadWithoutTempFiles(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	s := newSite(t)

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, _ := mw.CreateFormFile("f", "big.bin")
	_, _ = part.Write(bytes.Repeat([]byte("x"), 1<<20))
	_ = mw.WriteField("name", "Alice")
	mw.Close()
	w := post(s, "/travel/book", mw.FormDataContentType(), body.Bytes(), nil)
	assert.Equal(t, http.StatusUnsupportedMediaType, w.Code, "multipart forms are refused")
	assert.Contains(t, w.Body.String(), "application/x-www-form-urlencoded",
		"the page says which form encoding is taken")
	files, _ := os.ReadDir(tmp)
	assert.Empty(t, files, "no temporary file may be left behind")

	big := []byte("name=" + strings.Repeat("a", 70<<10))
	w = post(s, "/travel/book", urlencoded, big, nil)
	assert.Equal(t, http.StatusRequestEntityTooLarge, w.Code, "a 70 KB form is too large")
	assert.Contains(t, w.Body.String(), "larger than 8 KiB", "the page says what the limit is")

	dup := validForm()
	dup.Add("name", "Mallory")
	w = post(s, "/travel/book", urlencoded, []byte(dup.Encode()), nil)
	assert.Equal(t, http.StatusBadRequest, w.Code, "a field sent twice is refused")
	assert.Contains(t, w.Body.String(), "more than once")
}

func TestBookChecksTheFormBeforeSignIn(t *testing.T) {
	s := newSite(t)
	form := validForm()
	form.Del("phone")
	form.Set("name", strings.Repeat("n", 101))
	w := post(s, "/travel/book", urlencoded, []byte(form.Encode()), nil)
	require.Equal(t, http.StatusUnprocessableEntity, w.Code,
		"a bad form is shown again at once, not after signing in")
	page := w.Body.String()
	assert.Contains(t, page, "phone must have 6 to 15 digits", "the missing phone is named")
	assert.Contains(t, page, "name is too long", "the long name is named")
	assert.Empty(t, w.Result().Cookies(), "no draft is kept for a bad form")
	assert.Contains(t, page, `required`, "the inputs are marked required for the browser")
	assert.Contains(t, page, `maxlength="100"`, "the name's limit is given to the browser")
	assert.Contains(t, page, "(required)", "the labels say the fields are required")
}

func TestBookingDraftExpires(t *testing.T) {
	c := &clock{t: now}
	s := newSignInSite(t, c)
	w := post(s, "/travel/book", urlencoded, []byte(validForm().Encode()), nil)
	require.Equal(t, http.StatusSeeOther, w.Code, "a good form sends the traveller to sign in")
	cookies := w.Result().Cookies()
	require.NotEmpty(t, cookies, "the draft is kept under a cookie")

	resume := func() string {
		r := httptest.NewRequest("GET", origin+"/travel?resume=1", nil)
		for _, ck := range cookies {
			r.AddCookie(ck)
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		return w.Body.String()
	}
	c.t = now.Add(11 * time.Minute)
	assert.NotContains(t, resume(), "Welcome back", "a draft is forgotten after 10 minutes")
}

// startSignIn starts a sign-in and returns its state.
func startSignIn(t *testing.T, s http.Handler) string {
	t.Helper()
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest("GET", origin+"/travel/signin/google", nil))
	require.Equal(t, http.StatusFound, w.Code, "sign-in redirects to the provider")
	loc, err := url.Parse(w.Header().Get("Location"))
	require.NoError(t, err)
	return loc.Query().Get("state")
}

// callback sends a sign-in response with the state cookie set.
func callback(s http.Handler, state string, q url.Values) *httptest.ResponseRecorder {
	q.Set("state", state)
	r := httptest.NewRequest("GET", origin+"/auth/callback?"+q.Encode(), nil)
	r.AddCookie(&http.Cookie{Name: "travel_state", Value: state})
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

func TestSignInsInProgressAreCapped(t *testing.T) {
	s := newSignInSite(t, &clock{t: now})
	first := startSignIn(t, s)
	for range 1000 {
		startSignIn(t, s)
	}
	w := callback(s, first, url.Values{"code": {"c"}, "iss": {issuer}})
	assert.Equal(t, http.StatusBadRequest, w.Code, "the oldest sign-in was forgotten")
	assert.Contains(t, w.Body.String(), "already used or has expired")
}

func TestSignInResponseWithoutIssIsRefused(t *testing.T) {
	s := newSignInSite(t, &clock{t: now})
	w := callback(s, startSignIn(t, s), url.Values{"code": {"c"}})
	assert.Equal(t, http.StatusBadRequest, w.Code, "a response without iss is refused")
	assert.Contains(t, w.Body.String(), "RFC 9207", "the page explains the missing iss")
}

func TestCrossSitePostsAreRefused(t *testing.T) {
	s := newSite(t)
	body := []byte(validForm().Encode())
	tests := []struct {
		name   string
		path   string
		header http.Header
		want   int
	}{
		{"evilOriginBook", "/travel/book", http.Header{"Origin": {"http://evil.example"}}, 403},
		{"otherPortSignout", "/travel/signout",
			http.Header{"Origin": {"http://127.0.0.1:9999"}}, 403},
		{"otherScheme", "/travel/signout", http.Header{"Origin": {"https://127.0.0.1:8080"}}, 403},
		{"noOriginNoReferer", "/travel/signout", http.Header{"Origin": nil}, 403},
		{"refererOnly", "/travel/signout",
			http.Header{"Origin": nil, "Referer": {origin + "/travel"}}, 303},
		{"ownOrigin", "/travel/signout", nil, 303},
		{"rebinding", "/travel/signout", http.Header{"Origin": {"http://evil.example:8080"},
			"Host": {"evil.example:8080"}}, 421},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", origin+tt.path, bytes.NewReader(body))
			r.Header.Set("Content-Type", urlencoded)
			r.Header.Set("Origin", origin)
			for k, v := range tt.header {
				if k == "Host" {
					r.Host = v[0]
					continue
				}
				r.Header[k] = v
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			assert.Equal(t, tt.want, w.Code, "status of a POST with %v", tt.header)
			if tt.want >= 400 {
				assert.Contains(t, w.Header().Get("Content-Type"), "text/html",
					"the refusal is a friendly page")
			}
		})
	}
}

func TestReceiverDownRefusesOnlySignedDeliveries(t *testing.T) {
	s := newSite(t)
	s.SetReceiverDown(3)
	for range 3 {
		w := post(s, "/booking/callback", "application/json", []byte("x"), nil)
		assert.Equal(t, http.StatusBadRequest, w.Code, "an unsigned post is refused first")
	}
	assert.Equal(t, http.StatusServiceUnavailable, deliver(t, s, secret, "msg_1", now),
		"strangers did not use up the simulated outage")
}

func TestErrorPages(t *testing.T) {
	s := newSite(t)
	tests := []struct {
		name, method, path string
		want               int
	}{
		{"unknownPage", "GET", "/travel/nope", 404},
		{"deleteForm", "DELETE", "/travel", 405},
		{"headForm", "HEAD", "/travel", 200},
		{"staticDirectory", "GET", "/travel/static/", 404},
		{"staticFile", "GET", "/travel/static/travel.css", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			s.ServeHTTP(w, httptest.NewRequest(tt.method, origin+tt.path, nil))
			assert.Equal(t, tt.want, w.Code, "%s %s", tt.method, tt.path)
			if tt.want >= 400 {
				assert.Contains(t, w.Header().Get("Content-Type"), "text/html",
					"errors are friendly pages")
				assert.NotContains(t, w.Body.String(), "travel.css</a>", "no listing")
			}
			if tt.want == 405 {
				assert.Equal(t, "GET, HEAD", w.Header().Get("Allow"), "405 names the methods")
			}
		})
	}
}

func TestBookingFormRules(t *testing.T) {
	tests := []struct {
		name, field, value, want string
	}{
		{"bidiOverride", "name", "Alice \u202egnp.exe", "text-direction"},
		{"zeroWidth", "name", "Ali\u200bce", "invisible"},
		{"escape", "name", "Alice\x1b[31m", "control"},
		{"farFuture", "date", "9999-12-31", "two years ahead"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t)
			form := validForm()
			form.Set(tt.field, tt.value)
			w := post(s, "/travel/book", urlencoded, []byte(form.Encode()), nil)
			assert.Equal(t, http.StatusUnprocessableEntity, w.Code, "%q is refused", tt.value)
			assert.Contains(t, w.Body.String(), tt.want, "the message explains why")
		})
	}
}
