package markdown_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"callbacklab/server/markdown"
)

func TestRewriteLink(t *testing.T) {
	tests := []struct {
		name   string
		dest   string
		want   string
		reason string
	}{
		{name: "LessonFromArticle", dest: "../../lessons/02-callback-contract/",
			want: "/lessons/02-callback-contract", reason: "the article links lessons by folder"},
		{name: "LessonReadme", dest: "../../lessons/02-callback-contract/README.md",
			want: "/lessons/02-callback-contract", reason: "a link to a lesson's README is its page"},
		{name: "LessonFromLesson", dest: "../03-async-callbacks/",
			want: "/lessons/03-async-callbacks", reason: "lessons link each other as siblings"},
		{name: "LessonWithAnchor", dest: "../03-async-callbacks/#hints",
			want: "/lessons/03-async-callbacks#hints", reason: "anchors survive"},
		{name: "ArticlePage", dest: "04-signing-in.md", want: "/article/04-signing-in",
			reason: "article pages link each other as files"},
		{name: "ArticleFromLesson", dest: "../../content/article/04-signing-in.md#state",
			want: "/article/04-signing-in#state", reason: "lessons link article pages by path"},
		{name: "ArticleFolder", dest: "../../content/article/", want: "/article/",
			reason: "the article's folder is its index"},
		{name: "External", dest: "https://example.com/04-x.md", want: "https://example.com/04-x.md",
			reason: "absolute URLs are left alone"},
		{name: "Absolute", dest: "/sim", want: "/sim", reason: "site paths are left alone"},
		{name: "Fragment", dest: "#the-task", want: "#the-task", reason: "fragments are left alone"},
		{name: "OtherFile", dest: "exercise.go", want: "exercise.go",
			reason: "links to other files are not guessed at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, markdown.RewriteLink(tt.dest), tt.reason)
		})
	}
}

func TestRender(t *testing.T) {
	src := []byte("---\ntitle: Signing in\nsummary: How the callback URL works.\norder: 4\n---\n\n" +
		"Intro with `code`.\n\n## The redirect\n\n### State\n\n## The `code` exchange\n\n" +
		"<b>raw</b>\n")
	doc, err := markdown.New().Render(src)
	require.NoError(t, err)
	assert.Equal(t, "Signing in", doc.Title, "title from front matter")
	assert.Equal(t, "How the callback URL works.", doc.Summary, "summary from front matter")
	assert.Equal(t, 4, doc.Order, "order from front matter")
	want := []markdown.Heading{
		{Level: 2, ID: "the-redirect", Text: "The redirect"},
		{Level: 3, ID: "state", Text: "State"},
		{Level: 2, ID: "the-code-exchange", Text: "The code exchange"},
	}
	if diff := cmp.Diff(want, doc.TOC); diff != "" {
		t.Errorf("table of contents (-want +got):\n%s", diff)
	}
	assert.NotContains(t, string(doc.HTML), "<b>raw</b>", "raw HTML is dropped")
	assert.NotContains(t, string(doc.HTML), "title: Signing in", "front matter is not shown")
}

func TestRenderTitleFromHeading(t *testing.T) {
	doc, err := markdown.New().Render([]byte("# Lesson 1: First callbacks\n\nSummary.\n"))
	require.NoError(t, err)
	assert.Equal(t, "Lesson 1: First callbacks", doc.Title, "without front matter the H1 is the title")
	assert.NotContains(t, string(doc.HTML), "<h1", "the H1 moves to the page template")
}

func TestRenderHighlightsGo(t *testing.T) {
	doc, err := markdown.New().Render([]byte("```go\nfunc f() {}\n```\n"))
	require.NoError(t, err)
	assert.Contains(t, string(doc.HTML), `class="chroma"`, "Go code is highlighted with classes")
}

func TestRenderBadFrontMatter(t *testing.T) {
	_, err := markdown.New().Render([]byte("---\norder: [1\n---\n\nBody.\n"))
	assert.ErrorContains(t, err, "markdown: front matter", "a broken front matter is an error")
}
