package server_test

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"callbacklab/server"
	"callbacklab/sim"
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

func send(t *testing.T, h http.Handler, method, path string, form url.Values,
	header http.Header) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
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

	// Stream the trace events in memory while the browser opens the travel site.
	client := &http.Client{Transport: sim.InMemory(map[string]http.Handler{"app": s})}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://app/sim/trace/events", nil)
	res, err := client.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	assert.Equal(t, "text/event-stream", res.Header.Get("Content-Type"))

	rec := send(t, s, "GET", "/travel", nil, nil)
	require.Equal(t, http.StatusOK, rec.Code, "the travel site is served by the web app")
	assert.Contains(t, rec.Body.String(), "Book a ticket")

	sc := bufio.NewScanner(res.Body)
	got := ""
	for sc.Scan() && !strings.HasPrefix(got, "data: ") {
		got = sc.Text()
	}
	assert.Contains(t, got, `"from":"Browser"`, "the hop should be announced live")

	mmd := send(t, s, "GET", "/sim/trace.mmd", nil, nil).Body.String()
	assert.Contains(t, mmd, "Browser->>Travel: GET /travel")
	svg := send(t, s, "GET", "/sim/trace.svg", nil, nil).Body.String()
	assert.Contains(t, svg, "<svg", "the journey should be drawn as SVG")
}
