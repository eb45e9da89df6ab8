package lessonproof

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBlocks(t *testing.T) {
	t.Parallel()

	page := "# Title\n\n" +
		"```go\nfunc a() {}\n```\n\n" +
		"<!-- from: lessons/x/_solution/x.go -->\n" +
		"```go\n\tdone(nil)\n```\n" +
		"text\n\n" +
		"~~~~mermaid title\nsequenceDiagram\n```\nstill inside\n~~~~\n" +
		"  ```sh\n  go test\n  ```\n" +
		"```go\nunclosed\n"
	want := []Block{
		{Lang: "go", Line: 3, Code: "func a() {}\n"},
		{Lang: "go", Line: 8, Code: "\tdone(nil)\n", From: "lessons/x/_solution/x.go"},
		{Lang: "mermaid", Line: 13, Code: "sequenceDiagram\n```\nstill inside\n"},
		{Lang: "sh", Line: 18, Code: "go test\n"},
		{Lang: "go", Line: 21, Code: "unclosed\n\n"},
	}
	assert.Empty(t, cmp.Diff(want, Blocks([]byte(page))), "Blocks (-want +got)")
}

func TestHeadingsAndLinks(t *testing.T) {
	t.Parallel()

	page := "# Lesson 1: X #\n\n## The task\nsee [two](../02-x/) and `[not](a link)`\n" +
		"```md\n## not a heading [no](link)\n```\n#hashtag\n### Hint 1\n![img](d.svg \"t\")\n"
	assert.Equal(t, []string{"# Lesson 1: X", "## The task", "### Hint 1"},
		Headings([]byte(page)), "Headings must skip code blocks and #words")
	assert.Equal(t, []string{"../02-x/", "d.svg"}, Links([]byte(page)),
		"Links must skip code blocks and code spans")
}

func TestSnippet(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name     string
		code     string
		want     string
		wantMain bool
	}{
		{name: "declarations", code: "func a() {}\n", want: "package snippet\n\nfunc a() {}\n"},
		{name: "whole_file", code: "// Doc.\npackage main\n", want: "// Doc.\npackage main\n",
			wantMain: true},
		{name: "other_package", code: "package travel\n", want: "package travel\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, isMain := Snippet(tt.code)
			assert.Equal(t, tt.want, got, "Snippet(%q)", tt.code)
			assert.Equal(t, tt.wantMain, isMain, "Snippet(%q) main", tt.code)
		})
	}
}

func TestAPI(t *testing.T) {
	t.Parallel()

	stub := map[string][]byte{"a.go": []byte(`package p

// T is documented here only.
type T struct {
	Name string // the name
	mu   int
}

// Err is an error.
var Err = errors.New("p: err")

func (t *T) Do(x int) (string, error) { return "", nil }
func (t *T) hidden() {}
func helper() {}
func Generic[K comparable, V any](m map[K]V) {}
`)}
	solution := map[string][]byte{"a.go": []byte(`package p

type T struct {
	Name  string
	state map[string]int
}

var Err = errors.New("p: err")

func (t *T) Do(x int) (string, error) {
	return "done", nil
}

func Generic[K comparable, V any](m map[K]V) { clear(m) }
`)}
	pkg, got, err := API(stub)
	require.NoError(t, err)
	assert.Equal(t, "p", pkg)
	_, want, err := API(solution)
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(want, got), "API must ignore docs, bodies and unexported names")
	assert.Equal(t, "func T.Do(x int) (string, error)", got["T.Do"])
	assert.Equal(t, "func Generic[K comparable, V any](m map[K]V)", got["Generic"])

	solution["b.go"] = []byte("package p\n\nfunc Extra() {}\n")
	_, withExtra, err := API(solution)
	require.NoError(t, err)
	assert.NotEmpty(t, cmp.Diff(withExtra, got), "an extra exported function must show")
}

func FuzzBlocks(f *testing.F) {
	f.Add("# T\n```go\nfunc a() {}\n```\n")
	f.Add("<!-- from: x.go -->\n   ~~~~ go\n  x\n~~~\n~~~~~\n")
	f.Add("```\n````\n```go`\n")
	f.Fuzz(func(t *testing.T, page string) {
		lines := strings.Count(page, "\n") + 1
		last := 0
		for _, b := range Blocks([]byte(page)) {
			if b.Line <= last || b.Line > lines {
				t.Fatalf("block at line %d after one at line %d, in a page of %d lines",
					b.Line, last, lines)
			}
			last = b.Line
			if b.Code != "" && !strings.HasSuffix(b.Code, "\n") {
				t.Fatalf("block at line %d: code %q does not end in a newline", b.Line, b.Code)
			}
		}
		Headings([]byte(page))
		Links([]byte(page))
	})
}
