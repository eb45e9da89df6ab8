package server_test

import (
	"net/http/httptest"
	"testing"
	"testing/fstest"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"callbacklab/internal/browsertest"
	"callbacklab/internal/learn"
	"callbacklab/server"
)

// TestBrowserProgressGoesGreenLive opens /progress in headless Chromium, as a learner keeps
// it beside the editor, and checks that a lesson passing on the server turns green on the
// page without a reload.
func TestBrowserProgressGoesGreenLive(t *testing.T) {
	tracker := learn.NewTracker([]learn.Lesson{
		{Number: 1, Dir: "01-first", Title: "Lesson 1: First callbacks"},
		{Number: 2, Dir: "02-contract", Title: "Lesson 2: The callback contract"},
	})
	tracker.SetLesson(learn.LessonState{Dir: "01-first", State: learn.StateFailing,
		Tests: []learn.TestResult{{Name: "TestTally", Status: learn.TestFailed,
			Output: []string{"callbacks_test.go:190: counts must return (3, 2)"}}}})
	app, err := server.New(server.Config{Article: fstest.MapFS{}, Progress: tracker})
	require.NoError(t, err)
	srv := httptest.NewServer(app)
	t.Cleanup(srv.Close) // after the browser is gone, so the event stream has ended

	b := browsertest.New(t)
	require.NoError(t, chromedp.Do(b.Ctx, chromedp.Navigate(srv.URL+"/progress"),
		chromedp.WaitVisible("#lesson-01-first")), "opening the progress page")
	text, err := chromedp.Run(b.Ctx, chromedp.Text("#lesson-01-first"))
	require.NoError(t, err)
	assert.Contains(t, text, "TestTally", "the failing test is listed by name")
	assert.Contains(t, text, "counts must return (3, 2)", "with its message")

	// The learner saves a fix; the watcher records the pass.
	tracker.SetLesson(learn.LessonState{Dir: "01-first", State: learn.StateDone,
		Tests: []learn.TestResult{{Name: "TestTally", Status: learn.TestPassed}}})
	_, err = chromedp.Run(b.Ctx, chromedp.Poll[bool](
		`document.querySelector("#lesson-01-first.state-done") !== null && `+
			`document.querySelector("[data-done]").textContent === "1"`))
	require.NoError(t, err, "the lesson must turn green on the open page, without a reload")
	text, err = chromedp.Run(b.Ctx, chromedp.Text("#lesson-01-first"))
	require.NoError(t, err)
	assert.NotContains(t, text, "TestTally", "a passing lesson lists no failures")
	assert.Empty(t, b.Errors(), "the page must not log errors to the browser console")
}
