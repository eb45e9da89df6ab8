package server_test

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"callbacklab/server"
	"callbacklab/sim"
	"callbacklab/sim/trace"
)

var simKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

// simSite returns the web app with an in-memory world mounted.
func simSite(t *testing.T) (*server.Server, *sim.World) {
	t.Helper()
	w, err := sim.New(sim.Config{InMemory: true, Keys: []*rsa.PrivateKey{simKey()}})
	require.NoError(t, err, "the world should build")
	t.Cleanup(func() { w.Close() })
	s, err := server.New(server.Config{Article: fstest.MapFS{}})
	require.NoError(t, err)
	s.MountSim(w)
	return s, w
}

// webOrigin is where the test world's web app is configured to be served.
const webOrigin = sim.DefaultWebOrigin

// send sends a request to the web app as its own page would: at its configured origin, and
// a POST with that Origin. A header given replaces the default; "Host" sets the Host.
func send(t *testing.T, h http.Handler, method, path string, form url.Values,
	header http.Header) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, webOrigin+path, strings.NewReader(form.Encode()))
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if method == http.MethodPost {
		req.Header.Set("Origin", webOrigin)
	}
	for k, v := range header {
		if k == "Host" {
			req.Host = v[0]
			continue
		}
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestSimPage(t *testing.T) {
	s, _ := simSite(t)
	rec := send(t, s, "GET", "/sim", nil, nil)
	require.Equal(t, http.StatusOK, rec.Code)
	page := rec.Body.String()
	for _, want := range []string{
		`<iframe name="travel" id="travel" src="/travel"`,
		"Callback receiver down", "watch book_ticket retry",
		`value="internal-callback-url"`, "DropNonce", "Nothing yet",
		`src="/static/sim.js"`,
	} {
		assert.Contains(t, page, want, "the simulation page should show %q", want)
	}
	assert.Equal(t, http.StatusOK, send(t, s, "GET", "/static/sim.js", nil, nil).Code)
	assert.Equal(t, http.StatusOK, send(t, s, "HEAD", "/travel", nil, nil).Code,
		"the travel site answers HEAD like GET when mounted in the web app")
	rec = send(t, s, "DELETE", "/travel", nil, nil)
	assert.Equal(t, http.StatusMethodNotAllowed, rec.Code)
	assert.Equal(t, "GET, HEAD", rec.Header().Get("Allow"), "405 names the methods taken")
}

func TestSimControlPanel(t *testing.T) {
	s, w := simSite(t)
	rec := send(t, s, "POST", "/sim/scenario", url.Values{"scenario": {"sold-out"}}, nil)
	assert.Equal(t, http.StatusSeeOther, rec.Code, "choosing a scenario returns to /sim")
	assert.Equal(t, sim.SoldOut, w.Scenario())

	rec = send(t, s, "POST", "/sim/scenario", url.Values{"scenario": {"nope"}}, nil)
	assert.Equal(t, http.StatusBadRequest, rec.Code, "an unknown scenario is a clear 400")

	rec = send(t, s, "POST", "/sim/scenario", url.Values{"scenario": {"normal"}},
		http.Header{"Origin": {"http://evil.example"}})
	assert.Equal(t, http.StatusForbidden, rec.Code, "another site's page may not flip switches")
	assert.Equal(t, sim.SoldOut, w.Scenario(), "the refused request changed nothing")

	rec = send(t, s, "POST", "/sim/quirk",
		url.Values{"provider": {"google"}, "name": {"DropNonce"}, "value": {"1"}}, nil)
	assert.Equal(t, http.StatusSeeOther, rec.Code)
	assert.Equal(t, 1, w.QuirkValues("google")["DropNonce"], "the quirk should be on")
	rec = send(t, s, "POST", "/sim/quirk",
		url.Values{"provider": {"google"}, "name": {"NoSuchQuirk"}, "value": {"1"}}, nil)
	assert.Equal(t, http.StatusBadRequest, rec.Code)

	rec = send(t, s, "POST", "/sim/attack/replay", url.Values{}, nil)
	assert.Equal(t, http.StatusConflict, rec.Code, "nothing to replay before a sign-in")
}

func TestSimTraceFollowsTheTravelSite(t *testing.T) {
	s, _ := simSite(t)

	// The /sim page names this browser's journey.
	page := send(t, s, "GET", "/sim", nil, nil)
	var journey *http.Cookie
	for _, c := range page.Result().Cookies() {
		if c.Name == trace.JourneyCookie {
			journey = c
		}
	}
	require.NotNil(t, journey, "the /sim page gives the browser a journey")
	mine := http.Header{"Cookie": {journey.Name + "=" + journey.Value}}

	// Stream the trace events in memory while the browser opens the travel site.
	client := &http.Client{Transport: sim.InMemory(map[string]http.Handler{
		strings.TrimPrefix(webOrigin, "http://"): s})}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", webOrigin+"/sim/trace/events", nil)
	res, err := client.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	assert.Equal(t, "text/event-stream", res.Header.Get("Content-Type"))

	rec := send(t, s, "GET", "/travel", nil, mine)
	require.Equal(t, http.StatusOK, rec.Code, "the travel site is served by the web app")
	assert.Contains(t, rec.Body.String(), "Book a ticket")

	sc := bufio.NewScanner(res.Body)
	got := ""
	for sc.Scan() && !strings.HasPrefix(got, "event: ") {
		got = sc.Text()
	}
	assert.Equal(t, "event: hop", got, "the hop should be announced live")

	mmd := send(t, s, "GET", "/sim/trace.mmd", nil, mine).Body.String()
	assert.Contains(t, mmd, "Browser->>Travel: GET /travel")
	svg := send(t, s, "GET", "/sim/trace.svg", nil, mine).Body.String()
	assert.Contains(t, svg, "<svg", "the journey should be drawn as SVG")

	other := send(t, s, "GET", "/sim/trace.mmd", nil, nil)
	assert.Equal(t, http.StatusOK, other.Code, "a browser without a journey gets a diagram")
	assert.NotContains(t, other.Body.String(), "->>",
		"a browser without a journey cookie sees nobody else's journey")
}

func TestSimDiagramPanelFollowsTheTheme(t *testing.T) {
	s, _ := simSite(t)
	css := send(t, s, "GET", "/static/sim.css", nil, nil).Body.String()
	assert.Contains(t, css, ".sim-diagram .cl-seq { --cl-bg: var(--bg); }",
		"the diagram's background is the page's, light or dark")
	assert.NotContains(t, css, "#fff; }\n.sim-diagram svg",
		"the diagram panel is not painted white in the dark theme")
	assert.Regexp(t, `\.sim-diagram \{[^}]*background: var\(--bg\)`, css,
		"the panel's background follows the theme")
}

func TestSimControlPanelGuards(t *testing.T) {
	tests := []struct {
		name   string
		path   string
		ctype  string
		body   string
		header http.Header
		want   int
	}{
		{"multipart", "/sim/scenario", "multipart/form-data; boundary=x",
			"--x\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n\r\n" +
				strings.Repeat("a", 1<<20) + "\r\n--x--\r\n", nil, 415},
		{"oversize", "/sim/quirk", "application/x-www-form-urlencoded",
			"scenario=normal&pad=" + strings.Repeat("a", 9<<10), nil, 413},
		{"duplicate", "/sim/scenario", "application/x-www-form-urlencoded",
			"scenario=normal&scenario=sold-out", nil, 400},
		{"rebinding", "/sim/scenario", "application/x-www-form-urlencoded", "scenario=normal",
			http.Header{"Host": {"evil.example:8080"}, "Origin": {"http://evil.example:8080"}},
			421},
		{"otherScheme", "/sim/scenario", "application/x-www-form-urlencoded",
			"scenario=normal", http.Header{"Origin": {"https://127.0.0.1:8080"}}, 403},
		{"noOrigin", "/sim/scenario", "application/x-www-form-urlencoded",
			"scenario=normal", http.Header{"Origin": nil}, 403},
		{"refererOnly", "/sim/scenario", "application/x-www-form-urlencoded",
			"scenario=normal", http.Header{"Origin": nil, "Referer": {webOrigin + "/sim"}}, 303},
		{"hugeSkew", "/sim/quirk", "application/x-www-form-urlencoded",
			"provider=google&name=ClockSkewSeconds&value=9223372036854775807", nil, 400},
		{"dayAndASecond", "/sim/quirk", "application/x-www-form-urlencoded",
			"provider=google&name=ClockSkewSeconds&value=86401", nil, 400},
		{"switchTwo", "/sim/quirk", "application/x-www-form-urlencoded",
			"provider=google&name=DropNonce&value=2", nil, 400},
		{"skewOneHour", "/sim/quirk", "application/x-www-form-urlencoded",
			"provider=google&name=ClockSkewSeconds&value=-3600", nil, 303},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmp := t.TempDir()
			t.Setenv("TMPDIR", tmp)
			s, _ := simSite(t)
			req := httptest.NewRequest("POST", webOrigin+tt.path, strings.NewReader(tt.body))
			req.Header.Set("Content-Type", tt.ctype)
			req.Header.Set("Origin", webOrigin)
			for k, v := range tt.header {
				if k == "Host" {
					req.Host = v[0]
					continue
				}
				req.Header[k] = v
			}
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			assert.Equal(t, tt.want, rec.Code, "status of %s", tt.name)
			if tt.want >= 400 {
				assert.Contains(t, rec.Header().Get("Content-Type"), "text/html",
					"a refusal is a friendly page")
			}
			files, _ := os.ReadDir(tmp)
			assert.Empty(t, files, "no temporary file may be left behind")
		})
	}
}
