package capstone

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/netip"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"callbacklab/sim"
	"callbacklab/sim/booking"
	"callbacklab/sim/idp"
	"callbacklab/sim/trace"
)

// The simulated world's origins: the same as `callbacklab serve`, reached only in memory.
const (
	siteOrigin    = "http://127.0.0.1:8080"
	idpOrigin     = "http://127.0.0.1:8081"
	bookingOrigin = "http://127.0.0.1:8082"
	issuer        = idpOrigin + "/google"
	clientID      = "callback-travel"
	clientSecret  = "travel-client-secret-0123456789"
	bookingToken  = "travel-booking-token-0123456789"
	webhookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
)

// testKeys reads the RSA keys the provider signs with, once. They are test keys, published
// with the lesson; never use them for anything else.
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

// told is an OnOutcome callback that remembers what it was told. It is safe for concurrent
// use.
type told struct {
	mu    sync.Mutex
	calls []toldCall
}

type toldCall struct {
	user    User
	outcome Outcome
}

func (t *told) onOutcome(u User, o Outcome) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.calls = append(t.calls, toldCall{user: u, outcome: o})
}

func (t *told) got() []toldCall {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]toldCall(nil), t.calls...)
}

// world is Google (mock), book_ticket and the learner's travel site, wired in memory and
// traced.
type world struct {
	rec      *trace.Recorder
	provider *idp.Server
	svc      *booking.Service
	site     *Site
	siteH    http.Handler // the learner's handler, traced
	told     *told
	hosts    map[string]http.Handler
}

// newWorld builds the world. It must run inside a synctest bubble: book_ticket's delays and
// retries then take no real time.
func newWorld(t *testing.T) *world {
	t.Helper()
	keys, err := testKeys()
	require.NoError(t, err, "test setup: the provider's keys must load")
	w := &world{rec: trace.NewRecorder(trace.Config{}), told: &told{}}

	// Every service reaches the others in memory; handlers are looked up when called, since
	// they are built one after the other.
	lazy := func(get func() http.Handler) http.Handler {
		return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			get().ServeHTTP(rw, r)
		})
	}
	var idpH, bookingH http.Handler
	w.hosts = map[string]http.Handler{
		"127.0.0.1:8080": lazy(func() http.Handler { return w.siteH }),
		"127.0.0.1:8081": lazy(func() http.Handler { return idpH }),
		"127.0.0.1:8082": lazy(func() http.Handler { return bookingH }),
	}
	mem := sim.InMemory(w.hosts)
	names := map[string]string{
		"127.0.0.1:8080": trace.Travel, "127.0.0.1:8081": trace.Google,
		"127.0.0.1:8082": trace.Booking,
	}
	namer := func(r *http.Request) string { return names[r.URL.Host] }

	w.provider, err = idp.New(idp.Config{
		BaseURL: idpOrigin, Keys: append([]*rsa.PrivateKey(nil), keys...),
		Clients: []idp.Client{{
			Provider: idp.Google, ID: clientID, Secret: clientSecret, Name: "Callback Travel",
			RedirectURIs: []string{siteOrigin + "/auth/callback"},
		}},
	})
	require.NoError(t, err, "test setup: the provider must start")
	idpH = w.rec.Middleware(trace.Fixed(trace.Google), trace.MiddlewareOptions{})(w.provider)

	w.svc, err = booking.New(booking.Config{
		Clients: []booking.Client{{
			ID: "travel", Token: bookingToken, Origins: []string{siteOrigin},
			Secret: webhookSecret,
		}},
		Guard: booking.Guard{Allow: []netip.AddrPort{netip.MustParseAddrPort("127.0.0.1:8080")}},
		HTTPClient: &http.Client{
			Transport:     w.rec.Transport(trace.Booking, namer, mem),
			CheckRedirect: booking.NoRedirects,
		},
		Policy: booking.Policy{Base: time.Second},
	})
	require.NoError(t, err, "test setup: book_ticket must start")
	t.Cleanup(func() { _ = w.svc.Close() })
	bookingH = w.rec.Middleware(trace.Fixed(trace.Booking), trace.MiddlewareOptions{})(w.svc)

	noPanic(t, "New", func() {
		w.site, err = New(context.Background(), Config{
			Origin: siteOrigin, Issuer: issuer, ClientID: clientID, ClientSecret: clientSecret,
			BookingURL: bookingOrigin, BookingToken: bookingToken, WebhookSecret: webhookSecret,
			HTTPClient: &http.Client{Transport: w.rec.Transport(trace.Travel, namer, mem)},
			OnOutcome:  w.told.onOutcome,
		})
	})
	require.NoError(t, err, "New must accept a complete Config")
	require.NotNil(t, w.site, "New returned a nil *Site and no error")
	var h http.Handler
	noPanic(t, "Handler", func() { h = w.site.Handler() })
	require.NotNil(t, h, "Site.Handler() returned nil")
	w.siteH = w.rec.Middleware(trace.Fixed(trace.Travel),
		trace.MiddlewareOptions{StartJourneys: true, RecordFirstRequest: true})(h)
	return w
}

// wait lets book_ticket finish every booking and delivery, and the site its OnOutcome calls.
func (w *world) wait() {
	w.svc.Wait()
	w.site.Wait()
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

// browser is a traveller's browser: it keeps cookies and shows every redirect to the test.
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

// do sends a request and returns the response with its body read.
func (b *browser) do(req *http.Request) (*http.Response, string) {
	b.t.Helper()
	res, err := b.client.Do(req)
	require.NoError(b.t, err, "%s %s", req.Method, req.URL)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(b.t, err)
	return res, string(body)
}

func (b *browser) get(rawURL string) (*http.Response, string) {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, rawURL, nil)
	require.NoError(b.t, err)
	return b.do(req)
}

func (b *browser) post(rawURL string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, rawURL, strings.NewReader(form.Encode()))
	require.NoError(b.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

var (
	formAction  = regexp.MustCompile(`<form method="post" action="([^"]*)">`)
	hiddenInput = regexp.MustCompile(`<input type="hidden" name="(txn|csrf)" value="([^"]*)">`)
)

// signIn signs in at the site as persona, through the provider's pages, and requires it to
// work: the sign-in part of the site is given, so this is set-up, not the lesson.
func (b *browser) signIn(persona string) {
	b.t.Helper()
	res, body := b.get(siteOrigin + "/login")
	require.Equal(b.t, http.StatusFound, res.StatusCode, "GET /login (given code) must "+
		"answer 302; got %d %q", res.StatusCode, body)
	res, page := b.get(res.Header.Get("Location"))
	require.Equal(b.t, http.StatusOK, res.StatusCode, "the provider's sign-in page: %s", page)
	for range 4 {
		form := url.Values{}
		for _, m := range hiddenInput.FindAllStringSubmatch(page, -1) {
			form.Set(m[1], m[2])
		}
		action := formAction.FindStringSubmatch(page)
		require.NotNil(b.t, action, "the provider's page has no form:\n%s", page)
		if strings.Contains(page, `name="decision"`) {
			form.Set("decision", "allow")
		} else {
			form.Set("persona", persona)
		}
		res, _ = b.post(action[1], form)
		require.Equal(b.t, http.StatusSeeOther, res.StatusCode, "the provider's form")
		next := res.Header.Get("Location")
		if strings.HasPrefix(next, siteOrigin+"/auth/callback") {
			res, body = b.get(next)
			require.Equal(b.t, http.StatusSeeOther, res.StatusCode, "GET /auth/callback "+
				"(given code) must sign in; got %d %q", res.StatusCode, body)
			return
		}
		res, page = b.get(next)
		require.Equal(b.t, http.StatusOK, res.StatusCode, "the provider's page: %s", page)
	}
	b.t.Fatal("test setup: the provider never sent the browser back to the site")
}

// trip is a booking form that book_ticket confirms.
func trip() url.Values {
	return url.Values{
		"name": {"Alice Martin"}, "email": {"alice@example.com"}, "phone": {"+33 6 12 34 56 78"},
		"from": {"Lyon"}, "to": {"Turin"}, "date": {"2027-03-14"}, "time": {"09:12"},
		"ticket_type": {"economy"},
	}
}

// book presses Book with the form and returns the answer.
func (b *browser) book(form url.Values) (int, Outcome, string) {
	b.t.Helper()
	res, body := b.post(siteOrigin+"/book", form)
	var o Outcome
	if res.StatusCode == http.StatusAccepted {
		require.NoError(b.t, json.Unmarshal([]byte(body), &o), "POST /book must answer JSON "+
			"such as {\"booking_id\": \"bk_...\", \"status\": \"pending\"}; got %q", body)
	}
	return res.StatusCode, o, strings.TrimSpace(body)
}

// status asks the site how a booking stands.
func (b *browser) status(id string) (int, Outcome, string) {
	b.t.Helper()
	res, body := b.get(siteOrigin + "/bookings/" + id)
	var o Outcome
	if res.StatusCode == http.StatusOK {
		require.NoError(b.t, json.Unmarshal([]byte(body), &o), "GET /bookings/%s must answer "+
			"JSON such as {\"booking_id\": \"bk_...\", \"status\": \"confirmed\"}; got %q",
			id, body)
	}
	return res.StatusCode, o, strings.TrimSpace(body)
}
