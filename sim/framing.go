package sim

import (
	"net/http"
	"strings"
)

// allowFraming lets the web app's own origin show the providers' pages in
// the /sim page's frame. Real providers refuse to be framed (clickjacking
// protection), and so do the mocks; the simulation relaxes exactly that, for
// exactly its own origin, so that the whole journey fits on one page.
func allowFraming(origin string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&framingWriter{ResponseWriter: w, origin: origin}, r)
	})
}

// framingWriter rewrites the framing headers just before they are sent.
type framingWriter struct {
	http.ResponseWriter
	origin string
	done   bool
}

func (w *framingWriter) rewrite() {
	if w.done {
		return
	}
	w.done = true
	h := w.Header()
	if h.Get("X-Frame-Options") == "" {
		return
	}
	h.Del("X-Frame-Options")
	if csp := h.Get("Content-Security-Policy"); csp != "" {
		h.Set("Content-Security-Policy", strings.ReplaceAll(csp,
			"frame-ancestors 'none'", "frame-ancestors "+w.origin))
	}
}

func (w *framingWriter) WriteHeader(code int) {
	w.rewrite()
	w.ResponseWriter.WriteHeader(code)
}

func (w *framingWriter) Write(b []byte) (int, error) {
	w.rewrite()
	return w.ResponseWriter.Write(b)
}

// Flush lets streaming answers through.
func (w *framingWriter) Flush() {
	w.rewrite()
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap gives [http.ResponseController] the underlying writer.
func (w *framingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
