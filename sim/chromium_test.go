package sim_test

import (
	"context"
	"crypto/rsa"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"callbacklab/sim"
)

// chromiumPath finds Debian's chromium, or stops the test: a failure under CI,
// a skip elsewhere.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "chromium"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	msg := "chromium is not installed; install it with: " +
		"apt-get update && apt-get install -y chromium"
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// listenWorld starts the world's three services on loopback listeners.
func listenWorld(t *testing.T) (*sim.World, string) {
	t.Helper()
	var ls [3]net.Listener
	var origins [3]string
	for i := range ls {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		ls[i], origins[i] = l, "http://"+l.Addr().String()
	}
	w, err := sim.New(sim.Config{
		WebOrigin: origins[0], IDPOrigin: origins[1], BookingOrigin: origins[2],
		Keys: []*rsa.PrivateKey{testKey()}, BookingDelay: 300 * time.Millisecond,
	})
	require.NoError(t, err)
	for i, h := range []http.Handler{w.Travel(), w.IDP(), w.Booking()} {
		srv := httptest.NewUnstartedServer(h)
		srv.Listener.Close()
		srv.Listener = ls[i]
		srv.Start()
		t.Cleanup(srv.Close)
	}
	t.Cleanup(func() { w.Close() })
	return w, origins[0]
}

// TestBrowserBooking drives a real browser through sign-in and two bookings
// and keeps a screenshot of each step (in $CALLBACKLAB_SCREENSHOTS if set).
func TestBrowserBooking(t *testing.T) {
	chromium := chromiumPath(t)
	w, web := listenWorld(t)

	shots := os.Getenv("CALLBACKLAB_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium), chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(900, 900),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	ctx, cancelTab := chromedp.NewContext(ctx)
	defer cancelTab()

	shot := func(name string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			png, err := chromedp.FullScreenshot(100)(ctx, t) // quality 100 makes a PNG
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644)
		})
	}
	date := time.Now().AddDate(0, 0, 7).Format(time.DateOnly)
	fill := chromedp.Steps(
		chromedp.SetValue(chromedp.ID("phone"), "+33 1 23 45 67 89"),
		chromedp.SetValue(chromedp.ID("from"), "London"),
		chromedp.SetValue(chromedp.ID("to"), "Paris"),
		chromedp.SetValue(chromedp.ID("date"), date),
		chromedp.SetValue(chromedp.ID("time"), "09:30"),
	)
	value := func(id string) string {
		v, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID(id)))
		require.NoError(t, err, "reading #%s", id)
		return v
	}

	// Signed out: fill in the form, press Book, sign in as Alice, come back.
	err := chromedp.Do(ctx,
		chromedp.Navigate(web+"/travel"),
		chromedp.SetValue(chromedp.ID("name"), "Alice Martin"),
		chromedp.SetValue(chromedp.ID("email"), "alice@example.com"),
		fill, shot("1-form-signed-out"),
		chromedp.Click(chromedp.ID("book")),
		chromedp.WaitVisible(chromedp.ID("signin-google")),
		chromedp.Click(chromedp.ID("signin-google")),
		chromedp.WaitVisible(chromedp.CSS(`button[value="alice"]`)), shot("2-provider-signin"),
		chromedp.Click(chromedp.CSS(`button[value="alice"]`)),
		chromedp.WaitVisible(chromedp.CSS(`button[value="allow"]`)), shot("3-consent"),
		chromedp.Click(chromedp.CSS(`button[value="allow"]`)),
		chromedp.WaitVisible(chromedp.ID("who")), shot("4-back-to-form"),
	)
	require.NoError(t, err, "signing in through the browser")
	assert.Equal(t, "Alice Martin", value("name"), "the form should come back filled in")
	assert.Equal(t, "Paris", value("to"))

	// Book and watch "confirmed" arrive without a reload: a marker set on the
	// page must survive.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("book")),
		chromedp.WaitVisible(chromedp.CSS(`#outcome[data-status="pending"]`)),
		chromedp.Evaluate[chromedp.Void](`window.notReloaded = true; undefined`),
		shot("5-pending"),
		chromedp.WaitVisible(chromedp.CSS(`#outcome[data-status="confirmed"]`)),
		shot("6-confirmed"),
	)
	require.NoError(t, err, "booking through the browser")
	message, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("outcome")))
	require.NoError(t, err)
	assert.Equal(t, "Booking confirmed", strings.TrimSpace(message))
	marker, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.notReloaded === true`))
	require.NoError(t, err)
	assert.True(t, marker, "the outcome should arrive without reloading the page")

	// The payment-failed scenario.
	require.NoError(t, w.SetScenario(sim.PaymentFailed))
	err = chromedp.Do(ctx,
		chromedp.Navigate(web+"/travel"), fill,
		chromedp.Click(chromedp.ID("book")),
		chromedp.WaitVisible(chromedp.CSS(`#outcome[data-status="payment_failed"]`)),
		shot("7-payment-failed"),
	)
	require.NoError(t, err, "booking in the payment-failed scenario")
	message, err = chromedp.Run(ctx, chromedp.Text(chromedp.ID("outcome")))
	require.NoError(t, err)
	assert.Contains(t, message, "payment failed", "the traveller should see why")
}
