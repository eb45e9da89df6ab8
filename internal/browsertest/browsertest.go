// Package browsertest starts headless Chromium for callbacklab's browser tests.
//
// The tests drive Debian's chromium package through chromedp. Where Chromium is missing, a
// test says how to install it and is skipped on a developer's machine; under CI (the CI
// environment variable is set) it fails instead, so a green CI run always includes the
// browser tests.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Browser is one headless Chromium tab and the errors its pages reported.
type Browser struct {
	// Ctx runs chromedp actions in the tab. It ends after Timeout.
	Ctx context.Context

	mu     sync.Mutex
	errors []string
}

// Timeout bounds every browser test.
const Timeout = 40 * time.Second

// ExecPath returns the path of Chromium, or "" when it is not installed.
func ExecPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// New starts a headless Chromium for t, with the flags this workplace needs (no sandbox as
// root, no background network traffic), and stops it when t ends.
func New(t testing.TB) *Browser {
	t.Helper()
	path := ExecPath()
	if path == "" {
		const msg = "Chromium is not installed; install it with " +
			"'sudo apt-get update && sudo apt-get install -y chromium' to run the browser tests"
		if os.Getenv("CI") != "" {
			t.Fatal(msg + " (under CI the browser tests must run; .ci/run installs it)")
		}
		t.Skip(msg)
	}

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
	}
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
		cancel()
	})

	// Start the browser, then collect what its pages write to the console as errors.
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("starting Chromium at %s: %v", path, err)
	}
	b := &Browser{Ctx: bctx}
	messages := chromedp.Console(bctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				b.mu.Lock()
				b.errors = append(b.errors, fmt.Sprintf("%s:%d: %s", m.URL, m.Line+1, m))
				b.mu.Unlock()
			}
		}
	}()
	return b
}

// Errors returns the console errors, exceptions and failed loads seen so far.
func (b *Browser) Errors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.errors...)
}
