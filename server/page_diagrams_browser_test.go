package server_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"callbacklab/internal/browsertest"
)

// TestBrowserDiagramEditor types into the live editor in headless Chromium: the drawing
// follows the text, a mistake shows its line and column, and text over the limit is refused
// in the page with a clear message.
func TestBrowserDiagramEditor(t *testing.T) {
	srv := httptest.NewServer(diagramSite(t))
	defer srv.Close()

	b := browsertest.New(t)
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		require.NoError(t, chromedp.Do(b.Ctx, steps...), what)
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(b.Ctx, chromedp.Text(sel))
		require.NoError(t, err, "reading %s", sel)
		return strings.TrimSpace(s)
	}
	// typeText replaces the editor's text as typing would, firing an input event.
	typeText := func(what, value string) {
		t.Helper()
		js := `(function (v) { var s = document.getElementById("diagram-source"); s.value = v;` +
			` s.dispatchEvent(new Event("input")); return true; })(` + jsString(value) + `)`
		_, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](js))
		require.NoError(t, err, what)
	}

	do("opening the diagrams page", chromedp.Navigate(srv.URL+"/diagrams"),
		chromedp.WaitVisible("#diagram-preview img"))

	typeText("typing a mistake", "sequenceDiagram\nA->>B hello")
	do("waiting for the error", chromedp.WaitVisible("#diagram-status pre"))
	assert.Contains(t, text("#diagram-status"), "Line 2, column 12: expected ':'",
		"the editor names the line and column of the mistake")
	assert.Contains(t, text("#diagram-status pre"), "A->>B hello", "and quotes the line")

	typeText("fixing it", "sequenceDiagram\nA->>B: hello")
	do("waiting for the drawing", chromedp.WaitNotPresent("#diagram-status pre"),
		chromedp.WaitVisible("#diagram-preview img"))

	typeText("pasting too much", "sequenceDiagram\n"+strings.Repeat("A->>B: x\n", 8000))
	do("waiting for the size message", chromedp.WaitVisible("#diagram-status.error p"))
	assert.Contains(t, text("#diagram-status"), "more than the editor takes (64 KiB)",
		"text over the limit is refused with the limit named")

	// Chromium logs every 4xx response; the 400 for the mistake is expected, nothing else.
	for _, e := range b.Errors() {
		assert.Contains(t, e, "/diagrams/render:1: error: Failed to load resource: "+
			"the server responded with a status of 400",
			"the editor must log no errors to the console beyond the 400 for the mistake")
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "<", `\x3c`)
	return `"` + r.Replace(s) + `"`
}

// TestBrowserDiagramPreviewFollowsTheme checks that the editor's drawing sits on the page's
// own background in light and dark mode, not on a rectangle of the SVG's own colour.
func TestBrowserDiagramPreviewFollowsTheme(t *testing.T) {
	srv := httptest.NewServer(diagramSite(t))
	defer srv.Close()
	b := browsertest.New(t)

	tests := []struct {
		name, scheme, wantBg string
	}{
		{name: "Light", scheme: "light", wantBg: "#fdfdfc"},
		{name: "Dark", scheme: "dark", wantBg: "#15171b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := chromedp.Call(b.Ctx, emulation.SetEmulatedMedia,
				emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{
					{Name: "prefers-color-scheme", Value: tt.scheme}}})
			require.NoError(t, err, "emulating the %s colour scheme", tt.scheme)
			require.NoError(t, chromedp.Do(b.Ctx, chromedp.Navigate(srv.URL+"/diagrams"),
				chromedp.WaitVisible("#diagram-preview img")), "opening the diagrams page")

			page, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](
				`getComputedStyle(document.body).backgroundColor`))
			require.NoError(t, err, "reading the page's background")
			shown, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](
				`fetch(document.querySelector("#diagram-preview img").src).then(r => r.text())`,
				chromedp.EvalAwaitPromise))
			require.NoError(t, err, "reading the SVG the preview shows")
			assert.Contains(t, shown, `<svg style="--cl-bg:`+tt.wantBg+`" `,
				"the preview's SVG should take the page's background %s (the page is %s)",
				tt.wantBg, page)
		})
	}
}

// TestBrowserDiagramEditorRetriesWhenBusy answers the editor's first request with 503, as
// the server does when it is drawing for others, and checks that the editor tries again
// once and shows the drawing.
func TestBrowserDiagramEditorRetriesWhenBusy(t *testing.T) {
	site := diagramSite(t)
	var renders atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/diagrams/render" && renders.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"error":"the server is busy drawing other diagrams"}`))
			return
		}
		site.ServeHTTP(w, r)
	}))
	defer srv.Close()
	b := browsertest.New(t)

	require.NoError(t, chromedp.Do(b.Ctx, chromedp.Navigate(srv.URL+"/diagrams"),
		chromedp.WaitVisible("#diagram-preview img")),
		"the editor should retry after the 503 and show the drawing")
	assert.Equal(t, int32(2), renders.Load(), "one refused request and one retry")
	status, err := chromedp.Run(b.Ctx, chromedp.Text("#diagram-status"))
	require.NoError(t, err, "reading the status line")
	assert.Empty(t, strings.TrimSpace(status), "no error is left once the drawing is shown")
}
