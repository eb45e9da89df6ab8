package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"

	"callbacklab/content"
	"callbacklab/lessons"
	"callbacklab/server"
)

// BenchmarkArticlePage serves the first article page through the web app's router, and, as
// the baseline, the same rendered bytes through http.FileServer, in the same run.
func BenchmarkArticlePage(b *testing.B) {
	all, err := lessons.All()
	require.NoError(b, err)
	app, err := server.New(server.Config{Article: content.Article(), Lessons: all})
	require.NoError(b, err)

	// Find the first page and keep its bytes for the baseline.
	rec := httptest.NewRecorder()
	app.ServeHTTP(rec, httptest.NewRequest("GET", "/article/", nil))
	first := firstArticleLink(b, rec.Body.String())
	rec = httptest.NewRecorder()
	app.ServeHTTP(rec, httptest.NewRequest("GET", first, nil))
	require.Equal(b, 200, rec.Code)
	page := rec.Body.Bytes()
	files := http.FileServerFS(fstest.MapFS{"page.html": {Data: page}})

	run := func(b *testing.B, h http.Handler, path string) {
		req := httptest.NewRequest("GET", path, nil)
		b.SetBytes(int64(len(page)))
		b.ReportAllocs()
		for b.Loop() {
			w := discardWriter{header: http.Header{}}
			h.ServeHTTP(&w, req)
			if w.code != 0 && w.code != 200 {
				b.Fatalf("GET %s: status %d", path, w.code)
			}
		}
	}
	b.Run("router", func(b *testing.B) { run(b, app, first) })
	b.Run("fileserver", func(b *testing.B) { run(b, files, "/page.html") })
}

// discardWriter is a ResponseWriter that keeps only the status, so the benchmark measures the
// handler rather than a recorder's buffer.
type discardWriter struct {
	header http.Header
	code   int
}

func (w *discardWriter) Header() http.Header         { return w.header }
func (w *discardWriter) WriteHeader(code int)        { w.code = code }
func (w *discardWriter) Write(p []byte) (int, error) { return io.Discard.Write(p) }

func firstArticleLink(tb testing.TB, index string) string {
	tb.Helper()
	const marker = `<li><a href="`
	i := strings.Index(index, marker)
	require.GreaterOrEqual(tb, i, 0, "the article index lists pages")
	rest := index[i+len(marker):]
	return rest[:strings.Index(rest, `"`)]
}
