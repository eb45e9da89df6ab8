package server_test

import (
	"context"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"callbacklab/content"
	"callbacklab/internal/learn"
	"callbacklab/lessons"
	"callbacklab/server"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// testSite returns the web app built from a small article and two lessons.
func testSite(t *testing.T) http.Handler {
	t.Helper()
	article := fstest.MapFS{
		"01-what.md": {Data: []byte("---\ntitle: What a callback is\nsummary: A function " +
			"you hand over.\norder: 1\n---\n\nA callback is a function.\n\n## First\n\n" +
			"See [the next page](02-why.md) and [lesson 1](../../lessons/01-first/).\n\n" +
			"## Second\n\n```go\nfunc done(err error) {}\n```\n\n### Third\n\n" +
			"<script>alert(1)</script>\n")},
		"02-why.md": {Data: []byte("---\ntitle: Why asynchronous work needs one\norder: 2\n" +
			"---\n\nBecause it finishes later.\n")},
	}
	all := []lessons.Lesson{
		{Number: 1, Dir: "01-first", Title: "Lesson 1: First", Summary: "Functions as values.",
			README: []byte("# Lesson 1: First\n\nFunctions as values.\n\n## The task\n\n" +
				"Write it.\n\n## Hints\n\n### Hint 1\n\nLook.\n")},
		{Number: 2, Dir: "02-second", Title: "Lesson 2: Second",
			README: []byte("# Lesson 2: Second\n\nThe contract.\n")},
	}
	s, err := server.New(server.Config{Article: article, Lessons: all})
	require.NoError(t, err, "the web app must build from a valid article and lessons")
	return s
}

func get(t *testing.T, h http.Handler, method, path string, header http.Header) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return string(b)
}

func TestPages(t *testing.T) {
	site := testSite(t)
	tests := []struct {
		name        string
		path        string
		wantCode    int
		wantType    string
		wantPhrases []string
	}{
		{name: "Home", path: "/", wantCode: 200, wantType: "text/html; charset=utf-8",
			wantPhrases: []string{"Learn callbacks in Go", `href="/article/01-what"`,
				`href="/lessons/01-first"`}},
		{name: "ArticleIndex", path: "/article/", wantCode: 200, wantType: "text/html; charset=utf-8",
			wantPhrases: []string{"What a callback is", "A function you hand over.",
				"Why asynchronous work needs one"}},
		{name: "ArticlePage", path: "/article/01-what", wantCode: 200,
			wantType: "text/html; charset=utf-8",
			wantPhrases: []string{"<h1>What a callback is</h1>", `href="/article/02-why"`,
				`href="/lessons/01-first"`, `id="first"`, "On this page", `rel="next"`}},
		{name: "LessonIndex", path: "/lessons/", wantCode: 200, wantType: "text/html; charset=utf-8",
			wantPhrases: []string{"Lesson 1: First", "Functions as values.", "Lesson 2: Second"}},
		{name: "LessonPage", path: "/lessons/01-first", wantCode: 200,
			wantType: "text/html; charset=utf-8",
			wantPhrases: []string{"<h1>Lesson 1: First</h1>", `id="hints"`,
				"go test ./lessons/01-first/", `href="/lessons/02-second"`}},
		{name: "Stylesheet", path: "/static/style.css", wantCode: 200,
			wantType: "text/css; charset=utf-8", wantPhrases: []string{"prefers-color-scheme: dark"}},
		{name: "HighlightStylesheet", path: "/static/highlight.css", wantCode: 200,
			wantType: "text/css; charset=utf-8", wantPhrases: []string{".chroma"}},
		{name: "Script", path: "/static/site.js", wantCode: 200,
			wantType: "text/javascript; charset=utf-8", wantPhrases: []string{"ArrowLeft"}},
		{name: "UnknownPage", path: "/no/such/page", wantCode: 404,
			wantType: "text/html; charset=utf-8", wantPhrases: []string{"Page not found"}},
		{name: "UnknownLesson", path: "/lessons/99-nope", wantCode: 404,
			wantType: "text/html; charset=utf-8", wantPhrases: []string{"Page not found"}},
		{name: "UnknownAsset", path: "/static/nope.css", wantCode: 404,
			wantType: "text/html; charset=utf-8", wantPhrases: []string{"Page not found"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := get(t, site, "GET", tt.path, nil)
			b := body(t, res)
			assert.Equal(t, tt.wantCode, res.StatusCode, "status of GET %s", tt.path)
			assert.Equal(t, tt.wantType, res.Header.Get("Content-Type"),
				"content type of GET %s", tt.path)
			for _, p := range tt.wantPhrases {
				assert.Contains(t, b, p, "GET %s should show %q", tt.path, p)
			}
		})
	}
}

func TestRawHTMLIsNotPassedThrough(t *testing.T) {
	b := body(t, get(t, testSite(t), "GET", "/article/01-what", nil))
	assert.NotContains(t, b, "<script>alert(1)</script>",
		"raw HTML in Markdown must not reach the page (goldmark's safe default)")
}

func TestHead(t *testing.T) {
	res := get(t, testSite(t), "HEAD", "/article/01-what", nil)
	assert.Equal(t, 200, res.StatusCode, "HEAD of a page answers like GET")
	assert.NotEmpty(t, res.Header.Get("Content-Length"), "HEAD tells the length")
	assert.Empty(t, body(t, res), "HEAD has no body")
}

func TestETag(t *testing.T) {
	site := testSite(t)
	first := get(t, site, "GET", "/article/01-what", nil)
	etag := first.Header.Get("ETag")
	require.NotEmpty(t, etag, "pages carry an ETag")

	again := get(t, site, "GET", "/article/01-what", http.Header{"If-None-Match": {etag}})
	assert.Equal(t, http.StatusNotModified, again.StatusCode,
		"a request with the page's ETag in If-None-Match gets 304")
	assert.Empty(t, body(t, again), "a 304 has no body")

	other := get(t, site, "GET", "/article/01-what", http.Header{"If-None-Match": {`"stale"`}})
	assert.Equal(t, http.StatusOK, other.StatusCode, "a stale ETag gets the page again")
}

func TestMethodNotAllowed(t *testing.T) {
	res := get(t, testSite(t), "POST", "/article/01-what", nil)
	assert.Equal(t, http.StatusMethodNotAllowed, res.StatusCode, "pages cannot be POSTed to")
	assert.Equal(t, "GET, HEAD", res.Header.Get("Allow"), "a 405 lists the methods (RFC 9110)")
	assert.Contains(t, body(t, res), "does not take POST requests; it takes GET and HEAD",
		"the 405 page explains itself")
}

func TestRedirects(t *testing.T) {
	res := get(t, testSite(t), "GET", "/lessons", nil)
	assert.Equal(t, http.StatusMovedPermanently, res.StatusCode)
	assert.Equal(t, "/lessons/", res.Header.Get("Location"))
}

// TestGoldenLessonPage compares one whole rendered page with testdata/lesson.golden.html.
// Run `go test ./server -run Golden -update` after an intended change to the page.
func TestGoldenLessonPage(t *testing.T) {
	got := body(t, get(t, testSite(t), "GET", "/lessons/01-first", nil))
	golden := filepath.Join("testdata", "lesson.golden.html")
	if *update {
		require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "the golden file is missing; run with -update to create it")
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("the lesson page changed (-want +got):\n%s\nRun with -update if intended.", diff)
	}
}

func TestRealContentRenders(t *testing.T) {
	// The embedded article and lessons are the ones users see: every page must build.
	all, err := lessons.All()
	require.NoError(t, err, "the embedded lessons must load")
	_, err = server.New(server.Config{Article: content.Article(), Lessons: all})
	require.NoError(t, err, "every article page and lesson README must render")
	assert.NotEmpty(t, all, "callbacklab ships with lessons")
	for _, l := range all {
		assert.True(t, strings.HasPrefix(l.Title, "Lesson "), "lesson %s title %q", l.Dir, l.Title)
	}
}

func TestLessonPageLiveStatus(t *testing.T) {
	all := []lessons.Lesson{{Number: 1, Dir: "01-first", Title: "Lesson 1: First",
		README: []byte("# Lesson 1: First\n\nOne.\n")}}
	tests := []struct {
		name     string
		progress *learn.Tracker
		want     bool
		reason   string
	}{
		{name: "WithLessonsOnDisk", want: true,
			progress: learn.NewTracker([]learn.Lesson{{Number: 1, Dir: "01-first"}}),
			reason:   "with live progress, the lesson page has a status box fed by /progress/events"},
		{name: "WithoutLessonsOnDisk", progress: nil, want: false,
			reason: "without live progress, the page must not open an event stream that 404s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := server.New(server.Config{Lessons: all, Progress: tt.progress})
			require.NoError(t, err)
			b := body(t, get(t, s, "GET", "/lessons/01-first", nil))
			assert.Equal(t, tt.want, strings.Contains(b, `data-live-lesson="01-first"`), tt.reason)
			assert.Equal(t, tt.want, strings.Contains(b, "/static/progress.js"), tt.reason)
		})
	}
}

func TestLessonFileLinks(t *testing.T) {
	all := []lessons.Lesson{{Number: 1, Dir: "01-first", Title: "Lesson 1: First",
		Summary: "Pass a `func` along.",
		README: []byte("# Lesson 1: First\n\nPass a `func` along.\n\nEdit [exercise.go](exercise.go), " +
			"see [the story](testdata/story.mmd), [all lessons](../), " +
			"[the solution](_solution/exercise.go).\n"),
		Exercise: map[string][]byte{"exercise.go": []byte("package first\n\nfunc Book() {}\n")},
		Testdata: map[string][]byte{"testdata/story.mmd": []byte("sequenceDiagram\n A->>B: hi\n")},
		Solution: map[string][]byte{"exercise.go": []byte("package first // the answer\n")},
	}}
	s, err := server.New(server.Config{Lessons: all})
	require.NoError(t, err)

	page := body(t, get(t, s, "GET", "/lessons/01-first", nil))
	assert.Contains(t, page, `href="/lessons/01-first/files/exercise.go"`,
		"a lesson's link to its exercise file opens the file's page, not /lessons/exercise.go")
	assert.Contains(t, page, `href="/lessons/01-first/files/testdata/story.mmd"`,
		"links into testdata open the file's page")
	assert.Contains(t, page, `href="/lessons/"`, "../ from a lesson is the lessons index")

	index := body(t, get(t, s, "GET", "/lessons/", nil))
	assert.Contains(t, index, "Pass a <code>func</code> along.",
		"summaries on the index render their inline Markdown")

	res := get(t, s, "GET", "/lessons/01-first/files/exercise.go", nil)
	file := body(t, res)
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Contains(t, file, "as\n  callbacklab ships it", "the file page says what it shows")
	assert.Contains(t, file, "Book", "the file page shows the file")

	res = get(t, s, "GET", "/lessons/01-first/files/_solution/exercise.go", nil)
	assert.Equal(t, http.StatusNotFound, res.StatusCode, "solutions are never served")
	assert.NotContains(t, body(t, res), "the answer")
}

func TestEventStreamsAreBounded(t *testing.T) {
	// Open streams until the server refuses one; every open stream blocks in its handler.
	tracker := learn.NewTracker([]learn.Lesson{{Number: 1, Dir: "01-first"}})
	s, err := server.New(server.Config{Progress: tracker})
	require.NoError(t, err)
	srv := httptest.NewServer(s)
	defer srv.Close()
	defer tracker.Close()

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	refused := 0
	for i := range 80 {
		req, err := http.NewRequestWithContext(ctx, "GET", srv.URL+"/progress/events", nil)
		require.NoError(t, err)
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err, "stream %d", i)
		if res.StatusCode == http.StatusServiceUnavailable {
			refused++
			assert.Equal(t, "10", res.Header.Get("Retry-After"))
			assert.Contains(t, body(t, res), "Too many live pages")
			continue
		}
		require.Equal(t, http.StatusOK, res.StatusCode, "stream %d", i)
	}
	assert.Equal(t, 80-64, refused, "at most 64 event streams are open at once")
}
