package lessonproof

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// snippetFile is where one Go block of a page went in the scratch module.
type snippetFile struct {
	page   string // the page, relative to the repository root
	line   int    // the line of the block's first code line on the page
	offset int    // lines added in front of the block ("package snippet" and a blank line)
}

// TestGoBlocks checks that every Go code block of the lesson pages and the article either
// compiles on its own or is quoted verbatim from the file its `<!-- from: PATH -->` names.
func TestGoBlocks(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	pages, err := filepath.Glob(filepath.Join(root, "lessons", "*", "README.md"))
	require.NoError(t, err)
	articles, err := filepath.Glob(filepath.Join(root, "content", "article", "*.md"))
	require.NoError(t, err)
	pages = append(pages, articles...)
	require.NotEmpty(t, pages, "no lesson pages or article pages found under %s", root)

	scratch := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(scratch, "go.mod"),
		[]byte("module snippets\n\ngo 1.26\n"), 0o600))
	snippets := map[string]snippetFile{}

	for _, page := range pages {
		rel, err := filepath.Rel(root, page)
		require.NoError(t, err)
		rel = filepath.ToSlash(rel)
		src, err := os.ReadFile(page)
		require.NoError(t, err)

		for _, b := range Blocks(src) {
			if b.Lang != "go" {
				continue
			}
			if b.From != "" {
				checkQuote(t, root, rel, b)
				continue
			}
			file, _ := Snippet(b.Code)
			dir := fmt.Sprintf("b%03d", len(snippets)+1)
			require.NoError(t, os.Mkdir(filepath.Join(scratch, dir), 0o700))
			require.NoError(t, os.WriteFile(filepath.Join(scratch, dir, "snippet.go"),
				[]byte(file), 0o600))
			snippets[dir] = snippetFile{page: rel, line: b.Line + 1,
				offset: strings.Count(file, "\n") - strings.Count(b.Code, "\n")}
		}
	}
	if len(snippets) == 0 {
		return
	}

	// Build every snippet at once: one go command is much faster than one per block.
	out, err := runGo(t, scratch, []string{"GOFLAGS=-mod=mod", "GOWORK=off", "GOPROXY=off",
		"GOTOOLCHAIN=local"}, "build", "./...")
	if err == nil {
		return
	}
	found := false
	for _, m := range buildError.FindAllStringSubmatch(string(out), -1) {
		s, ok := snippets[m[1]]
		if !ok {
			continue
		}
		line, _ := strconv.Atoi(m[2])
		found = true
		t.Errorf("%s:%d: this Go block does not compile: %s\n"+
			"A Go block must be a whole file (starting with package), or top-level "+
			"declarations after an optional import block, using the standard library only; "+
			"or put <!-- from: PATH --> on the line before it and quote that file verbatim.",
			s.page, s.line+line-1-s.offset, m[3])
	}
	assert.True(t, found, "the Go blocks of the pages do not build:\n%s", out)
}

var buildError = regexp.MustCompile(`(?m)^(?:\./)?(b\d{3})/snippet\.go:(\d+)(?::\d+)?: (.*)$`)

// checkQuote checks that a block marked <!-- from: PATH --> appears verbatim in PATH.
func checkQuote(t *testing.T, root, page string, b Block) {
	t.Helper()
	path := filepath.Clean(filepath.FromSlash(b.From))
	if filepath.IsAbs(path) || strings.HasPrefix(path, "..") {
		t.Errorf("%s:%d: <!-- from: %s --> must name a file by its path from the repository "+
			"root, such as lessons/01-first-callbacks/_solution/exercise.go", page, b.Line, b.From)
		return
	}
	src, err := os.ReadFile(filepath.Join(root, path))
	if err != nil {
		t.Errorf("%s:%d: the block quotes %s, which cannot be read: %v", page, b.Line, b.From,
			err)
		return
	}
	code := strings.TrimRight(b.Code, "\n")
	assert.True(t, strings.Contains(string(src), code), "%s:%d: this Go block says it comes "+
		"from %s, but that file does not contain it verbatim. Copy the code again from the "+
		"file (tabs included), or drop the from comment and make the block compile alone",
		page, b.Line, b.From)
}
