package diagram

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// post sends body to h in memory and returns the response.
func post(h http.Handler, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", "/diagrams/render", strings.NewReader(body))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestRenderHandlerBusy holds two drawings in progress and checks that a
// third request is turned away with 503 and Retry-After at once, instead of
// piling up, and that it succeeds once a drawing has finished.
func TestRenderHandlerBusy(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		held := func(src []byte) ([]byte, error) {
			<-release
			return RenderSVG(src)
		}
		h := newRenderHandler(1024, 2, held)
		done := make(chan int, 2)
		for range 2 {
			go func() { done <- post(h, "sequenceDiagram\nA->>B: slow").Code }()
		}
		synctest.Wait() // both requests are now inside a drawing

		rec := post(h, "sequenceDiagram\nA->>B: one too many")
		assert.Equal(t, http.StatusServiceUnavailable, rec.Code, "a third drawing must wait")
		assert.Equal(t, "1", rec.Header().Get("Retry-After"), "the client is told when to retry")
		var got RenderError
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got), "the busy answer is JSON")
		want := RenderError{
			Error: "the server is busy drawing other diagrams; try again in a second",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("busy error body (-want +got):\n%s", diff)
		}

		close(release)
		for range 2 {
			assert.Equal(t, http.StatusOK, <-done, "the held drawings finish normally")
		}
		assert.Equal(t, http.StatusOK, post(h, "sequenceDiagram\nA->>B: later").Code,
			"once the drawings are done the next request is drawn")
	})
}

func TestRenderHandlerLimits(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		render  func([]byte) ([]byte, error)
		wantErr RenderError
	}{{
		name: "TooManyMessages",
		body: lines("sequenceDiagram\n", "A->>B: m", maxMessages+1),
		wantErr: RenderError{
			Error: "10002:1: too many messages: a diagram holds at most 10000; " +
				"split it into several diagrams",
			Line: 10002, Col: 1, LineText: "A->>B: m",
			Message: "too many messages: a diagram holds at most 10000; " +
				"split it into several diagrams",
			Quote: "10002:1: too many messages: a diagram holds at most 10000; " +
				"split it into several diagrams\n    A->>B: m\n    ^",
		},
	}, {
		name: "DrawingTooLarge",
		body: "sequenceDiagram\nA->>B: m",
		render: func(src []byte) ([]byte, error) {
			return nil, ErrTooLarge
		},
		wantErr: RenderError{
			Error: "the drawing would be larger than 8 MiB of SVG; split the diagram into " +
				"several smaller ones",
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.render == nil {
				tt.render = RenderSVG
			}
			rec := post(newRenderHandler(1<<20, 2, tt.render), tt.body)
			assert.Equal(t, http.StatusBadRequest, rec.Code, "a diagram past a limit is a 400")
			var got RenderError
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got), "the error is JSON")
			if diff := cmp.Diff(tt.wantErr, got); diff != "" {
				t.Errorf("error body (-want +got):\n%s", diff)
			}
		})
	}
}
