package diagram

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// maxConcurrentRenders is how many diagrams one [RenderHandler] draws at
// once. Drawing is CPU work bounded by the parser's limits, so a few at a
// time keep the server's memory flat however many requests arrive together.
const maxConcurrentRenders = 2

// RenderHandler returns the endpoint behind the live editor. It takes
// Mermaid text as the body of a POST and answers:
//
//   - 200 with the SVG (image/svg+xml) for a good diagram;
//   - 400 with a JSON [RenderError] naming line and column for a bad one,
//     or saying which limit a too large diagram passes;
//   - 413 with a JSON [RenderError] when the body exceeds maxBytes;
//   - 503 with Retry-After: 1 and a JSON [RenderError] when it is already
//     drawing two diagrams;
//   - 405 for any method but POST.
//
// Build the handler once and reuse it: the limit on concurrent drawings
// belongs to the handler value.
func RenderHandler(maxBytes int) http.Handler {
	return newRenderHandler(maxBytes, maxConcurrentRenders, RenderSVG)
}

// newRenderHandler is [RenderHandler] with the number of concurrent drawings
// and the drawing function given, so tests can hold a drawing in progress.
func newRenderHandler(maxBytes, slots int, render func([]byte) ([]byte, error)) http.Handler {
	busy := make(chan struct{}, slots)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeJSONError(w, http.StatusMethodNotAllowed, RenderError{
				Error: "send the diagram text with POST",
			})
			return
		}

		// Read at most maxBytes.
		src, err := io.ReadAll(http.MaxBytesReader(w, r.Body, int64(maxBytes)))
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeJSONError(w, http.StatusRequestEntityTooLarge, RenderError{
				Error: fmt.Sprintf("the diagram is too large: the editor takes at most %s; "+
					"shorten it or split it into several diagrams", sizeText(maxBytes)),
				Limit: maxBytes,
			})
			return
		}
		if err != nil {
			writeJSONError(w, http.StatusBadRequest, RenderError{
				Error: "the diagram text could not be read",
			})
			return
		}

		// Take a drawing slot, or ask the client to come back.
		select {
		case busy <- struct{}{}:
			defer func() { <-busy }()
		default:
			w.Header().Set("Retry-After", "1")
			writeJSONError(w, http.StatusServiceUnavailable, RenderError{
				Error: "the server is busy drawing other diagrams; try again in a second",
			})
			return
		}

		// Draw it, or say where it is wrong.
		svg, err := render(src)
		if pe, ok := AsParseError(err); ok {
			writeJSONError(w, http.StatusBadRequest, RenderError{
				Error: pe.Error(), Line: pe.Line, Col: pe.Col, Message: pe.Msg,
				LineText: pe.LineText, Quote: pe.Quote(),
			})
			return
		}
		if errors.Is(err, ErrTooLarge) {
			writeJSONError(w, http.StatusBadRequest, RenderError{
				Error: strings.TrimPrefix(err.Error(), "diagram: "),
			})
			return
		}
		if err != nil {
			writeJSONError(w, http.StatusInternalServerError, RenderError{
				Error: "the diagram could not be drawn",
			})
			return
		}
		h := w.Header()
		h.Set("Content-Type", "image/svg+xml; charset=utf-8")
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "no-store")
		w.Write(svg)
	})
}

// RenderError is the JSON body of a failed [RenderHandler] request.
type RenderError struct {
	Error    string `json:"error"`              // all of it; "line:col: message" for a parse error
	Line     int    `json:"line,omitempty"`     // 1-based line of a parse error
	Col      int    `json:"col,omitempty"`      // 1-based column (in characters)
	Message  string `json:"message,omitempty"`  // the parse error without its position
	LineText string `json:"lineText,omitempty"` // the offending line
	Quote    string `json:"quote,omitempty"`    // compiler-style quote with a caret
	Limit    int    `json:"limit,omitempty"`    // the size limit in bytes, for 413
}

func writeJSONError(w http.ResponseWriter, code int, e RenderError) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(e)
}

// sizeText writes a byte count the way people read it: "64 KiB".
func sizeText(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
