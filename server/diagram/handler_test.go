package diagram

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRenderHandler(t *testing.T) {
	tests := []struct {
		name        string
		method      string
		body        string
		wantCode    int
		wantType    string
		wantErr     *RenderError
		wantContain string
	}{{
		name: "GoodDiagram", method: "POST", body: "sequenceDiagram\nA->>B: hi",
		wantCode: 200, wantType: "image/svg+xml; charset=utf-8", wantContain: ">hi</text>",
	}, {
		name: "BadDiagram", method: "POST", body: "sequenceDiagram\nA->>B hi",
		wantCode: 400, wantType: "application/json; charset=utf-8",
		wantErr: &RenderError{
			Error: `2:9: expected ':' and the message text after "B hi"`, Line: 2, Col: 9,
			Message:  `expected ':' and the message text after "B hi"`,
			LineText: "A->>B hi",
			Quote:    "2:9: expected ':' and the message text after \"B hi\"\n    A->>B hi\n            ^",
		},
	}, {
		name: "TooLarge", method: "POST", body: "sequenceDiagram\n" + strings.Repeat("A->>B: x\n", 200),
		wantCode: 413, wantType: "application/json; charset=utf-8",
		wantErr: &RenderError{
			Error: "the diagram is too large: the editor takes at most 1 KiB; shorten it or " +
				"split it into several diagrams",
			Limit: 1024,
		},
	}, {
		name: "WrongMethod", method: "GET", wantCode: 405,
		wantType: "application/json; charset=utf-8",
		wantErr:  &RenderError{Error: "send the diagram text with POST"},
	}}
	h := RenderHandler(1024)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, "/diagrams/render", strings.NewReader(tt.body))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			assert.Equal(t, tt.wantCode, rec.Code, "status code")
			assert.Equal(t, tt.wantType, rec.Header().Get("Content-Type"), "content type")
			if tt.wantContain != "" {
				assert.Contains(t, rec.Body.String(), tt.wantContain, "the SVG should hold the text")
				assert.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"),
					"the SVG must not be sniffed as something else")
			}
			if tt.wantErr != nil {
				var got RenderError
				require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got), "the error is JSON")
				if diff := cmp.Diff(*tt.wantErr, got); diff != "" {
					t.Errorf("error body (-want +got):\n%s", diff)
				}
			}
			if tt.method == "GET" {
				assert.Equal(t, http.MethodPost, rec.Header().Get("Allow"), "Allow header")
			}
		})
	}
}

// FuzzRenderHandler sends arbitrary bodies to the endpoint, one at a time: it
// must answer 200, 400 or 413, never 500 and never panic.
func FuzzRenderHandler(f *testing.F) {
	f.Add([]byte("sequenceDiagram\nA->>B: x"))
	f.Add([]byte("sequenceDiagram\nloop\n"))
	h := RenderHandler(4096)
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest("POST", "/diagrams/render", strings.NewReader(string(body)))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case 200, 400, 413:
		default:
			t.Fatalf("status %d for body %q", rec.Code, body)
		}
	})
}
