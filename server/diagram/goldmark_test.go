package diagram

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yuin/goldmark"
	highlighting "github.com/yuin/goldmark-highlighting/v2"
)

func TestExtension(t *testing.T) {
	tests := []struct {
		name     string
		markdown string
		want     []string
		wantNot  []string
		reason   string
	}{{
		name:     "SequenceDiagramBecomesSVG",
		markdown: "Intro\n\n```mermaid\nsequenceDiagram\nA->>B: hello\n```\n\nOutro\n",
		want: []string{`<figure class="diagram">`, `<svg xmlns="http://www.w3.org/2000/svg"`,
			">hello</text>", "<p>Outro</p>"},
		wantNot: []string{"<pre", "<code"},
		reason:  "a fenced mermaid sequenceDiagram is drawn inline",
	}, {
		name:     "CommentBeforeHeader",
		markdown: "```Mermaid\n%% the sign-in flow\nsequenceDiagram\nA->>B: hi\n```\n",
		want:     []string{`<figure class="diagram">`, "<svg"},
		reason:   "comments may precede the header and the info string is case-insensitive",
	}, {
		name:     "BadDiagramBecomesErrorPanel",
		markdown: "```mermaid\nsequenceDiagram\nA=>B: hi\n```\n\nStill here\n",
		want: []string{`<div class="diagram-error" role="alert">`, "line 2, column 1",
			"<p>Still here</p>"},
		wantNot: []string{"<svg"},
		reason:  "a bad diagram shows an error panel and the page goes on",
	}, {
		name:     "OtherMermaidStaysCode",
		markdown: "```mermaid\nflowchart LR\nA-->B\n```\n",
		want: []string{"<pre", "flowchart LR",
			`<p class="diagram-note">callbacklab draws only sequenceDiagram; ` +
				`this block is shown as text.</p>`},
		wantNot: []string{"<svg"},
		reason:  "other Mermaid kinds stay as code with a short note",
	}, {
		name:     "OtherLanguagesUntouched",
		markdown: "```go\nfmt.Println(1)\n```\n",
		want:     []string{"<pre", "Println"},
		wantNot:  []string{"diagram"},
		reason:   "only mermaid blocks are touched",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Compose with goldmark-highlighting, which also renders fenced code.
			md := goldmark.New(goldmark.WithExtensions(
				highlighting.NewHighlighting(highlighting.WithStyle("github")),
				&Extension{},
			))
			var out bytes.Buffer
			require.NoError(t, md.Convert([]byte(tt.markdown), &out), "converting the Markdown")
			html := out.String()
			for _, w := range tt.want {
				assert.Contains(t, html, w, "%s: the HTML should contain %q", tt.reason, w)
			}
			for _, w := range tt.wantNot {
				assert.NotContains(t, html, w, "%s: the HTML should not contain %q", tt.reason, w)
			}
		})
	}
}

func TestIsSequenceDiagram(t *testing.T) {
	tests := []struct {
		src  string
		want bool
	}{
		{"sequenceDiagram\nA->>B: x", true},
		{"\n  %% comment\nsequenceDiagram", true},
		{"---\ntitle: x\n---\nsequenceDiagram", true},
		{"sequenceDiagram; A->>B: x", true},
		{"flowchart LR", false},
		{"sequenceDiagrams", false},
		{"", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, IsSequenceDiagram([]byte(tt.src)),
			"IsSequenceDiagram(%q)", strings.ReplaceAll(tt.src, "\n", `\n`))
	}
}

func TestSources(t *testing.T) {
	md := "# T\n\n```mermaid\nsequenceDiagram\nA->>B: one\n```\n\n" +
		"- item\n\n  ```mermaid\n  sequenceDiagram\n  B->>A: two\n  ```\n\n" +
		"```mermaid\npie\n```\n\n```go\nx\n```\n"
	got := Sources([]byte(md))
	require.Len(t, got, 2, "two sequence diagrams, one nested in a list; pie and go skipped")
	assert.Equal(t, "sequenceDiagram\nA->>B: one\n", string(got[0]), "first diagram")
	assert.Equal(t, "sequenceDiagram\nB->>A: two\n", string(got[1]), "second diagram, unindented")
}
