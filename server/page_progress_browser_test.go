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

// TestBrowserProgressFoldsFailuresLive checks progress.js draws failures as the server does:
// the focused lesson's first failure open, the others folded under a count, and a fold the
// learner opened stays open when the page redraws.
func TestBrowserProgressFoldsFailuresLive(t *testing.T) {
	failed := func(name string) learn.TestResult {
		return learn.TestResult{Name: name, Status: learn.TestFailed,
			Output: []string{"x_test.go:1: " + name + " went wrong"}}
	}
	tracker := learn.NewTracker([]learn.Lesson{
		{Number: 1, Dir: "01-first", Title: "Lesson 1: First callbacks"},
		{Number: 2, Dir: "02-contract", Title: "Lesson 2: The callback contract"},
	})
	tracker.SetLesson(learn.LessonState{Dir: "01-first", State: learn.StateFailing,
		Tests: []learn.TestResult{
			{Name: "TestNewIDSource", Status: learn.TestFailed}, // declared first
			failed("TestTally"), failed("TestNewIDSource/a"), failed("TestNewIDSource/b"),
		}})
	app, err := server.New(server.Config{Article: fstest.MapFS{}, Progress: tracker})
	require.NoError(t, err)
	srv := httptest.NewServer(app)
	t.Cleanup(srv.Close)

	b := browsertest.New(t)
	require.NoError(t, chromedp.Do(b.Ctx, chromedp.Navigate(srv.URL+"/progress"),
		chromedp.WaitVisible("#lesson-01-first")), "opening the progress page")

	// A change elsewhere makes progress.js redraw every lesson.
	tracker.SetLesson(learn.LessonState{Dir: "02-contract", State: learn.StateFailing,
		Tests: []learn.TestResult{failed("TestOnce")}})
	_, err = chromedp.Run(b.Ctx, chromedp.Poll[bool](
		`document.querySelector("#lesson-02-contract.state-failing") !== null`))
	require.NoError(t, err, "the page redraws when a lesson changes")
	open, err := chromedp.Run(b.Ctx, chromedp.Evaluate[[]string](`Array.from(
		document.querySelectorAll("#lesson-01-first details[open]"),
		d => d.querySelector("summary").textContent.trim())`))
	require.NoError(t, err)
	assert.Equal(t, []string{"TestNewIDSource/a"}, open,
		"only the first task's first failure is open after a redraw")
	more, err := chromedp.Run(b.Ctx, chromedp.Text("#lesson-01-first .more-failures > summary"))
	require.NoError(t, err)
	assert.Equal(t, "and 2 more failing tests", more, "the others are counted in a fold")

	// The learner opens the fold; the next redraw keeps it open.
	require.NoError(t, chromedp.Do(b.Ctx,
		chromedp.Click("#lesson-01-first .more-failures > summary")), "opening the fold")
	tracker.SetLesson(learn.LessonState{Dir: "02-contract", State: learn.StateDone})
	_, err = chromedp.Run(b.Ctx, chromedp.Poll[bool](
		`document.querySelector("#lesson-02-contract.state-done") !== null`))
	require.NoError(t, err, "the page redraws when a lesson passes")
	kept, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](
		`document.querySelector("#lesson-01-first .more-failures").open`))
	require.NoError(t, err)
	assert.True(t, kept, "a fold the learner opened stays open across redraws")
	assert.Empty(t, b.Errors(), "the page must not log errors to the browser console")
}
