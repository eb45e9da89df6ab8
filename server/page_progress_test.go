package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"callbacklab/internal/learn"
)

// progressSite returns the web app with tracker as its live progress (nil for none).
func progressSite(t *testing.T, tracker *learn.Tracker) http.Handler {
	t.Helper()
	s, err := New(Config{Article: fstest.MapFS{}, Progress: tracker})
	require.NoError(t, err, "the web app must build without content")
	return s
}

// failingTracker returns a tracker in which lesson 1 passes and lesson 2 fails one test.
func failingTracker() *learn.Tracker {
	tr := learn.NewTracker([]learn.Lesson{
		{Number: 1, Dir: "01-first", Title: "First callbacks"},
		{Number: 2, Dir: "02-contract", Title: "The <callback> contract"},
	})
	tr.SetLesson(learn.LessonState{Dir: "01-first", State: learn.StateDone,
		Tests: []learn.TestResult{{Name: "TestA", Status: learn.TestPassed}}})
	tr.SetLesson(learn.LessonState{Dir: "02-contract", State: learn.StateFailing,
		Tests: []learn.TestResult{
			{Name: "TestOnce", Status: learn.TestFailed, Output: []string{
				"contract_test.go:12: done was called twice; call it <exactly once>",
			}},
			{Name: "TestErr", Status: learn.TestPassed},
		}})
	return tr
}

func serve(h http.Handler, path string) (int, string) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	b, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(b)
}

func TestProgressPage(t *testing.T) {
	code, page := serve(progressSite(t, failingTracker()), "/progress")
	require.Equal(t, http.StatusOK, code, "GET /progress")
	for _, want := range []string{
		"1</span>/<span data-total>2</span> lessons done",
		`class="lesson-state state-failing" id="lesson-02-contract"`,
		"The &lt;callback&gt; contract",
		"<code>TestOnce</code>",
		"call it &lt;exactly once&gt;",
		`href="/lessons/02-contract#hints"`,
		`data-events="/progress/events"`,
		`/static/progress.js`,
	} {
		assert.Contains(t, page, want, "the progress page shows each lesson, each failure "+
			"with its message (escaped) and a link to the hints")
	}
	assert.NotContains(t, page, "TestErr", "passing tests are counted, not listed")
}

func TestProgressPageWithoutLessonsFolder(t *testing.T) {
	h := progressSite(t, nil)
	code, page := serve(h, "/progress")
	require.Equal(t, http.StatusOK, code)
	assert.Contains(t, page, "found no lessons folder",
		"without lessons on disk the page says why there is nothing to show")
	code, _ = serve(h, "/progress/events")
	assert.Equal(t, http.StatusNotFound, code, "and there is no event stream")
}

// streamRecorder is a ResponseWriter whose writes arrive on a channel.
type streamRecorder struct {
	header http.Header
	writes chan string
}

func (s *streamRecorder) Header() http.Header { return s.header }
func (s *streamRecorder) WriteHeader(int)     {}
func (s *streamRecorder) Flush()              {}
func (s *streamRecorder) Write(b []byte) (int, error) {
	s.writes <- string(b)
	return len(b), nil
}

func TestProgressEvents(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tr := failingTracker()
		ctx, cancel := context.WithCancel(t.Context())
		req := httptest.NewRequest(http.MethodGet, "/progress/events", nil).WithContext(ctx)
		rec := &streamRecorder{header: http.Header{}, writes: make(chan string)}
		done := make(chan struct{})
		go func() {
			defer close(done)
			streamProgress(rec, req, tr, 15*time.Second)
		}()

		event := func() progressView {
			t.Helper()
			msg := <-rec.writes
			data, ok := strings.CutPrefix(msg, "event: progress\ndata: ")
			require.True(t, ok, "a progress event, got %q", msg)
			var v progressView
			require.NoError(t, json.Unmarshal([]byte(data), &v), "the event's data is JSON")
			return v
		}

		// The current state comes at once.
		v := event()
		assert.Equal(t, 1, v.Done, "the first event carries the current progress")
		assert.Equal(t, "text/event-stream", rec.header.Get("Content-Type"))

		// A change comes as the next event.
		tr.SetLesson(learn.LessonState{Dir: "02-contract", State: learn.StateDone})
		v = event()
		assert.Equal(t, 2, v.Done, "a lesson going green is pushed to the page")

		// With nothing to say, a comment keeps the connection open.
		start := time.Now()
		assert.Equal(t, ": keep-alive\n\n", <-rec.writes, "a heartbeat comment")
		assert.Equal(t, 15*time.Second, time.Since(start), "heartbeats come every 15 s")

		// When the browser goes away, the handler ends and unsubscribes.
		cancel()
		<-done
	})
}

// manyFailuresTracker returns a tracker whose lesson 1 fails five tests, the way parallel
// tests finish: the third task (TestTally) before the first (TestNewIDSource).
func manyFailuresTracker() *learn.Tracker {
	tr := learn.NewTracker([]learn.Lesson{
		{Number: 1, Dir: "01-first", Title: "First callbacks"},
		{Number: 2, Dir: "02-contract", Title: "The callback contract"},
	})
	failed := func(name string) learn.TestResult {
		return learn.TestResult{Name: name, Status: learn.TestFailed,
			Output: []string{"x_test.go:1: " + name + " went wrong"}}
	}
	tr.SetLesson(learn.LessonState{Dir: "01-first", State: learn.StateFailing,
		Tests: []learn.TestResult{
			{Name: "TestNewIDSource", Status: learn.TestFailed},
			{Name: "TestBookTicket", Status: learn.TestFailed},
			failed("TestTally"),
			failed("TestNewIDSource/counts_from_one"),
			failed("TestNewIDSource/sources_count_separately"),
			failed("TestBookTicket/missing_name"),
			failed("TestBookTicket/missing_email"),
		}})
	tr.SetLesson(learn.LessonState{Dir: "02-contract", State: learn.StateFailing,
		Tests: []learn.TestResult{failed("TestOnce"), failed("TestTwice")}})
	return tr
}

func TestProgressPageFoldsAllButTheFirstFailure(t *testing.T) {
	_, page := serve(progressSite(t, manyFailuresTracker()), "/progress")
	lesson1, lesson2, ok := strings.Cut(page, `id="lesson-02-contract"`)
	require.True(t, ok, "the page lists lesson 2")

	open := `<details class="failure" data-key="TestNewIDSource/counts_from_one" open>`
	assert.Contains(t, lesson1, open, "the focused lesson shows its first task's first failure open")
	first := strings.Index(lesson1, "TestNewIDSource/counts_from_one")
	tally := strings.Index(lesson1, "TestTally")
	assert.Less(t, first, tally, "the first task's failure comes before the third task's, "+
		"although the third failed first")
	assert.Contains(t, lesson1, "and 4 more failing tests", "the rest are counted")
	assert.Equal(t, 1, strings.Count(lesson1, " open>"),
		"only the first failure is open; the other four are folded under the count")
	_, folded, ok := strings.Cut(lesson1, `<details class="more-failures" data-key="more">`)
	require.True(t, ok, "the other failures are inside one fold")
	for _, name := range []string{"TestNewIDSource/sources_count_separately",
		"TestBookTicket/missing_name", "TestBookTicket/missing_email", "TestTally"} {
		assert.Contains(t, folded, "<code>"+name+"</code>", "the fold holds %s", name)
	}

	assert.NotContains(t, lesson2, " open>", "a lesson out of focus starts all folded")
	assert.Contains(t, lesson2, "and 1 more failing test<", "one more failure is singular")
}

func TestProgressPageNamesGoRunCommands(t *testing.T) {
	for name, tracker := range map[string]*learn.Tracker{
		"withLessons": failingTracker(), "withoutLessons": nil} {
		t.Run(name, func(t *testing.T) {
			_, page := serve(progressSite(t, tracker), "/progress")
			assert.Contains(t, page, "<code>go run . check</code>",
				"learners run callbacklab with go run . from the repository")
			assert.NotContains(t, page, "<code>callbacklab ",
				"a newcomer has no callbacklab command on the PATH")
		})
	}
}

func TestMoreText(t *testing.T) {
	tests := []struct {
		name          string
		more, unshown int
		want          string
	}{
		{name: "none", more: 0, want: ""},
		{name: "one", more: 1, want: "and 1 more failing test"},
		{name: "four", more: 4, want: "and 4 more failing tests"},
		{name: "someNotShown", more: 12, unshown: 3,
			want: "and 12 more failing tests; the next 9 are below"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, moreText(tt.more, tt.unshown),
				"the fold's summary counts the failures after the first")
		})
	}
}
