package server_test

import (
	"crypto/rsa"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"callbacklab/internal/browsertest"
	"callbacklab/server"
	"callbacklab/sim"
)

// TestBrowserSimPage opens /sim in headless Chromium and checks that the
// travel site loads in its frame and that the diagram follows new exchanges
// live, without a reload.
func TestBrowserSimPage(t *testing.T) {
	var ls [3]net.Listener
	var origins [3]string
	for i := range ls {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		ls[i], origins[i] = l, "http://"+l.Addr().String()
	}
	w, err := sim.New(sim.Config{WebOrigin: origins[0], IDPOrigin: origins[1],
		BookingOrigin: origins[2], Keys: []*rsa.PrivateKey{simKey()}})
	require.NoError(t, err)
	t.Cleanup(func() { w.Close() })
	app, err := server.New(server.Config{Article: fstest.MapFS{}})
	require.NoError(t, err)
	app.MountSim(w)
	for i, h := range []http.Handler{app, w.IDP(), w.Booking()} {
		srv := httptest.NewUnstartedServer(h)
		srv.Listener.Close()
		srv.Listener = ls[i]
		srv.Start()
		t.Cleanup(srv.Close)
	}

	// Cleanups run last first: the browser closes its event streams before
	// the servers wait for their connections to end.
	b := browsertest.New(t)
	require.NoError(t, chromedp.Do(b.Ctx,
		chromedp.Navigate(origins[0]+"/sim"),
		chromedp.WaitVisible(chromedp.ID("travel")),
	), "opening /sim")
	_, err = chromedp.Run(b.Ctx, chromedp.Poll[bool](
		`document.getElementById("sim-live").textContent === "live"`,
		chromedp.WithPollingTimeout(10*time.Second)))
	require.NoError(t, err, "the trace event stream should connect")

	// The frame's first visit is drawn once the page has its journey cookie;
	// a new exchange from this browser must appear without a reload.
	require.NoError(t, chromedp.Do(b.Ctx, chromedp.Evaluate[chromedp.Void](
		`window.notReloaded = true; fetch("/travel/signin"); undefined`)))
	_, err = chromedp.Run(b.Ctx, chromedp.Poll[bool](
		`document.getElementById("sim-mermaid").textContent.includes("GET /travel/signin")`,
		chromedp.WithPollingTimeout(10*time.Second)))
	require.NoError(t, err, "the diagram should show the new exchange")
	same, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](`window.notReloaded === true`))
	require.NoError(t, err)
	assert.True(t, same, "the diagram should update without reloading the page")
	svg, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](
		`document.querySelector("#sim-diagram svg") !== null`))
	require.NoError(t, err)
	assert.True(t, svg, "the journey should be drawn as SVG")
	assert.Empty(t, b.Errors(), "the page must not log errors to the browser console")
}
