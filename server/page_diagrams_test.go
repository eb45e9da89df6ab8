package server_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yuin/goldmark"

	"callbacklab/lessons"
	"callbacklab/server"
	"callbacklab/server/diagram"
)

// diagramSite returns the web app built from an article page with two diagrams, one of them
// wrong, and a lesson with another one.
func diagramSite(t *testing.T) http.Handler {
	t.Helper()
	article := fstest.MapFS{
		"01-flow.md": {Data: []byte("---\ntitle: The flow\norder: 1\n---\n\n" +
			"```mermaid\nsequenceDiagram\nBrowser->>Site: POST /book\n```\n\n" +
			"```mermaid\nsequenceDiagram\nBrowser=>Site: oops\n```\n\n" +
			"```mermaid\nflowchart LR\nA-->B\n```\n")},
	}
	all := []lessons.Lesson{{Number: 1, Dir: "01-first", Title: "Lesson 1: First",
		README: []byte("# Lesson 1: First\n\n" +
			"```mermaid\nsequenceDiagram\nCaller->>Callee: done()\n```\n")}}
	s, err := server.New(server.Config{Article: article, Lessons: all,
		Extensions: []goldmark.Extender{&diagram.Extension{}}})
	require.NoError(t, err, "the web app must build from content holding diagrams")
	return s
}

func TestDiagramsPage(t *testing.T) {
	h := diagramSite(t)
	res := get(t, h, "GET", "/diagrams", nil)
	require.Equal(t, http.StatusOK, res.StatusCode, "GET /diagrams should succeed")
	page := body(t, res)
	for _, want := range []string{
		`<a href="/article/01-flow">The flow</a>`, `<a href="/lessons/01-first">Lesson 1: First</a>`,
		">POST /book</text>", ">done()</text>", "In the content (3)",
		`class="diagram-error"`, "line 2, column 1",
		`<textarea id="diagram-source"`, `data-max-bytes="65536"`, "/static/diagrams.js",
	} {
		assert.Contains(t, page, want, "the diagrams page should contain %q", want)
	}
	assert.NotContains(t, page, "flowchart", "only sequence diagrams are listed")

	// The article page draws its diagrams inline, and the page's assets are served.
	article := body(t, get(t, h, "GET", "/article/01-flow", nil))
	assert.Contains(t, article, `<figure class="diagram">`, "the article draws its diagram")
	assert.Contains(t, article, "callbacklab draws only sequenceDiagram",
		"other Mermaid kinds get a note")
	for _, asset := range []string{"/static/diagrams.js", "/static/diagrams.css"} {
		assert.Equal(t, http.StatusOK, get(t, h, "GET", asset, nil).StatusCode, "GET %s", asset)
	}
}

func TestDiagramRenderEndpoint(t *testing.T) {
	h := diagramSite(t)
	post := func(text string) *http.Response {
		req := httptest.NewRequest("POST", "/diagrams/render", strings.NewReader(text))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Result()
	}

	res := post("sequenceDiagram\nA->>B: hello")
	assert.Equal(t, http.StatusOK, res.StatusCode, "a good diagram is drawn")
	assert.Equal(t, "image/svg+xml; charset=utf-8", res.Header.Get("Content-Type"), "as SVG")
	assert.Contains(t, body(t, res), ">hello</text>", "the SVG holds the message")

	res = post("sequenceDiagram\nA->>B hello")
	assert.Equal(t, http.StatusBadRequest, res.StatusCode, "a bad diagram is a 400")
	assert.Contains(t, body(t, res), `"line":2,"col":12`, "the error names line and column")

	res = post("sequenceDiagram\n" + strings.Repeat("A->>B: x\n", 8000))
	assert.Equal(t, http.StatusRequestEntityTooLarge, res.StatusCode, "over 64 KiB is a 413")
	assert.Contains(t, body(t, res), "at most 64 KiB", "the 413 says what the limit is")

	res = get(t, h, "GET", "/diagrams/render", nil)
	assert.Equal(t, http.StatusMethodNotAllowed, res.StatusCode, "the endpoint takes POST only")
}
