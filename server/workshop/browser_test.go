package workshop_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"callbacklab/internal/browsertest"
	"callbacklab/server/workshop"
)

// browserLessons are the workshop's lessons in the browser test.
var browserLessons = []workshop.Lesson{
	{Number: 1, Title: "First callbacks", Hints: 3},
	{Number: 2, Title: "The callback contract", Hints: 3},
	{Number: 3, Title: "Asynchronous callbacks", Hints: 2},
	{Number: 4, Title: "Channels instead of callbacks", Hints: 3},
	{Number: 5, Title: "Observers", Hints: 3},
	{Number: 6, Title: "Receiving an HTTP callback", Hints: 3},
}

// hostile is a name that would run code if the page put it into HTML unescaped.
const hostile = `<img src=x onerror=document.title=1>`

// TestBrowserInstructorGrid opens the instructor's page in headless Chromium and checks
// that the grid shows the room, updates live when a learner reports, shows a hostile name as
// text, unlocks a hint, and switches to the projector view.
// Set WORKSHOP_SCREENSHOTS to a folder to keep screenshots of each step.
func TestBrowserInstructorGrid(t *testing.T) {
	room := workshop.NewRoom(browserLessons, nil)
	h := workshop.NewHandler(workshop.Config{Room: room, EventInterval: 100 * time.Millisecond,
		JoinURLs: []string{"http://192.0.2.7:8080"}})
	// The page as the web app serves it: the workshop under /workshop, beside the site's style
	// sheet (read from the server package's folder, so this test does not need the whole app).
	css, err := os.ReadFile(filepath.Join("..", "static", "style.css"))
	require.NoError(t, err)
	app := http.NewServeMux()
	app.Handle("/workshop", h)
	app.Handle("/workshop/", h)
	app.HandleFunc("/static/style.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		_, _ = w.Write(css)
	})
	app.HandleFunc("/static/favicon.svg", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/svg+xml")
		_, _ = w.Write([]byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`))
	})
	srv := httptest.NewServer(app)
	defer srv.Close()
	defer h.Close() // first, so the page's event stream ends and the server can close

	// Three learners in different places.
	ada := joinAndReport(t, srv.URL, room.Code(), "Ada",
		`{"lessons":[{"lesson":1,"state":"done"},`+
			`{"lesson":2,"state":"failing","firstFailing":"TestCallbackCalledOnce"}]}`)
	joinAndReport(t, srv.URL, room.Code(), "Bob",
		`{"lessons":[{"lesson":1,"state":"doesNotCompile"}]}`)
	joinAndReport(t, srv.URL, room.Code(), hostile, `{"lessons":[{"lesson":1,"state":"failing",`+
		`"firstFailing":"TestGreet/<b>bold</b>"}]}`)

	b := browsertest.New(t)
	ctx, cancel := context.WithTimeout(b.Ctx, 20*time.Second)
	defer cancel()
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		require.NoError(t, chromedp.Do(ctx, steps...), what)
	}
	eval := func(js string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		require.NoError(t, err, "evaluating %s", js)
		return s
	}
	poll := func(what, js string) {
		t.Helper()
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](js,
			chromedp.WithPollingTimeout(5*time.Second)))
		require.NoError(t, err, what)
	}
	shots := os.Getenv("WORKSHOP_SCREENSHOTS")
	shot := func(name string) {
		t.Helper()
		if shots == "" {
			return
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644))
	}

	do("opening the instructor's link",
		chromedp.Navigate(srv.URL+"/workshop?token="+room.InstructorToken()),
		chromedp.WaitVisible(`#ws-grid tbody tr`))
	loc, err := chromedp.Run(ctx, chromedp.Location())
	require.NoError(t, err)
	assert.Equal(t, srv.URL+"/workshop", loc, "the token is dropped from the address bar")
	poll("waiting for the three rows",
		`document.querySelectorAll("#ws-grid tbody tr").length === 3`)
	shot("1-grid")

	names := eval(`Array.from(document.querySelectorAll("#ws-grid th.name"))` +
		`.map(e => e.textContent).join("|")`)
	assert.Equal(t, hostile+"|Ada|Bob", names,
		"rows are sorted by name and the hostile name is shown as text")
	assert.Equal(t, "0", eval(`String(document.querySelectorAll("main img, main b").length)`),
		"no markup from a name or test name became an element")
	title := eval(`document.title`)
	assert.NotEqual(t, "1", title, "the hostile name's code did not run")
	assert.Contains(t, eval(`document.getElementById("ws-stuck").textContent`),
		"TestCallbackCalledOnce", "the page says where people are stuck")

	// Ada passes lesson 2: her cell turns green without a reload.
	report(t, srv.URL, ada, `{"lessons":[{"lesson":2,"state":"done"}]}`)
	poll("waiting for Ada's lesson 2 to turn done",
		`Array.from(document.querySelectorAll("#ws-grid tbody tr")).find(`+
			`r => r.querySelector("th").textContent === "Ada")`+
			`.querySelectorAll("td.ws-cell")[1].classList.contains("st-done")`)
	shot("2-live-update")

	// The instructor unlocks the first hint of lesson 1 for everyone.
	do("unlocking a hint", chromedp.Click(`#ws-totals .ws-total:first-child .ws-button`))
	poll("waiting for the button to offer the next hint",
		`document.querySelector("#ws-totals .ws-total:first-child .ws-button")`+
			`.textContent.startsWith("Unlock hint 2")`)
	assert.Equal(t, 1, room.Unlocked().For(1).Hints, "the click unlocked hint 1 of lesson 1")

	do("switching to the projector view", chromedp.Click(`#ws-mode`))
	poll("waiting for the grid to hide",
		`getComputedStyle(document.querySelector(".ws-grid-section")).display === "none"`)
	shot("3-projector")

	if shots != "" {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}})
		require.NoError(t, err, "switching to dark mode")
		do("switching back to the instructor view", chromedp.Click(`#ws-mode`))
		shot("4-dark")
	}

	assert.Empty(t, b.Errors(), "the page must not log errors to the browser console")
}

func joinAndReport(t *testing.T, base, code, name, status string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"code": code, "name": name})
	resp, err := http.Post(base+"/workshop/api/join", "application/json",
		strings.NewReader(string(body)))
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, "joining as %q", name)
	var j struct {
		Token string `json:"token"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&j))
	report(t, base, j.Token, status)
	return j.Token
}

func report(t *testing.T, base, tok, status string) {
	t.Helper()
	req, err := http.NewRequest("POST", base+"/workshop/api/report", strings.NewReader(status))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, "reporting %s", status)
}
