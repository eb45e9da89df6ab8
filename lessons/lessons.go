// Package lessons holds callbacklab's numbered lessons and reads their metadata.
//
// Each lesson is a folder NN-slug holding a README.md (the lesson page), the exercise files a
// learner completes, the tests, and a _solution folder with the reference solution under the
// same file names. The go tool ignores folders that start with an underscore, so
// `go test ./lessons/...` tests the learner's files.
//
// This package embeds the original files, so that the web app can show the lessons and the
// callbacklab command can restore an exercise or reveal a solution without git.
//
// A README starts with one level-one heading (the lesson's title), then a paragraph that serves
// as its summary. It has a "## The task" section and a "## Hints" section whose level-three
// headings ("### Hint 1", "### Hint 2", ...) are the hint tiers, from gentle to nearly the
// answer.
package lessons

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

//go:embed */README.md */*.go */_solution/*.go */testdata
var files embed.FS

// Lesson is one lesson folder as it was shipped.
type Lesson struct {
	// Number is the lesson's position, taken from the folder name ("03-..." is 3).
	Number int
	// Dir is the folder name, such as "03-async-callbacks"; it is also the lesson's URL slug.
	Dir string
	// Title is the README's level-one heading.
	Title string
	// Summary is the README's first paragraph, as plain Markdown text.
	Summary string
	// README is the whole lesson page as Markdown.
	README []byte
	// Hints are the hint tiers, from gentle to nearly the answer, as Markdown.
	Hints []string
	// Exercise maps each exercise file name (the .go files a learner edits, without tests)
	// to its original content.
	Exercise map[string][]byte
	// Tests maps each test file name to its content.
	Tests map[string][]byte
	// Solution maps each reference solution file name to its content.
	Solution map[string][]byte
	// Testdata maps each file under the lesson's testdata folder, by its path in the lesson
	// ("testdata/story.mmd"), to its content.
	Testdata map[string][]byte
}

// ErrNoLesson is returned by [Find] when no lesson has the given number or folder name.
var ErrNoLesson = errors.New("lessons: no such lesson")

var dirPattern = regexp.MustCompile(`^(\d\d)-[a-z0-9-]+$`)

// All returns every lesson in order of its number.
func All() ([]Lesson, error) {
	return Load(files)
}

// Files returns the embedded lesson folders as a file system, with _solution folders included.
func Files() fs.FS {
	return files
}

// Find returns the lesson whose number or folder name is key ("3", "03" or
// "03-async-callbacks").
func Find(all []Lesson, key string) (Lesson, error) {
	n, err := strconv.Atoi(key)
	for _, l := range all {
		if l.Dir == key || (err == nil && l.Number == n) {
			return l, nil
		}
	}
	return Lesson{}, fmt.Errorf("%w: %q (try a number from 1 to %d)", ErrNoLesson, key, len(all))
}

// Load reads the lessons found at the root of fsys. It is [All] for any file system, so tests
// and tools can read a lesson folder from disk.
func Load(fsys fs.FS) ([]Lesson, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("lessons: %w", err)
	}
	var all []Lesson
	for _, e := range entries {
		m := dirPattern.FindStringSubmatch(e.Name())
		if !e.IsDir() || m == nil {
			continue
		}
		l, err := load(fsys, e.Name())
		if err != nil {
			return nil, err
		}
		all = append(all, l)
	}
	slices.SortFunc(all, func(a, b Lesson) int { return a.Number - b.Number })
	return all, nil
}

func load(fsys fs.FS, dir string) (Lesson, error) {
	n, _ := strconv.Atoi(dir[:2])
	l := Lesson{
		Number:   n,
		Dir:      dir,
		Exercise: map[string][]byte{},
		Tests:    map[string][]byte{},
		Solution: map[string][]byte{},
		Testdata: map[string][]byte{},
	}

	readme, err := fs.ReadFile(fsys, path.Join(dir, "README.md"))
	if err != nil {
		return Lesson{}, fmt.Errorf("lessons: %s: %w", dir, err)
	}
	l.README = readme
	l.Title, l.Summary, l.Hints = parseREADME(readme)
	if l.Title == "" {
		return Lesson{}, fmt.Errorf("lessons: %s/README.md has no level-one heading", dir)
	}

	if err := readGo(fsys, dir, l.Exercise, l.Tests); err != nil {
		return Lesson{}, err
	}
	if err := readGo(fsys, path.Join(dir, "_solution"), l.Solution, nil); err != nil {
		return Lesson{}, err
	}
	if err := readTestdata(fsys, dir, l.Testdata); err != nil {
		return Lesson{}, err
	}
	return l, nil
}

// readGo reads the .go files of dir into code, and the _test.go files into tests (when tests
// is nil they go into code too). A missing folder reads as empty.
func readGo(fsys fs.FS, dir string, code, tests map[string][]byte) error {
	entries, err := fs.ReadDir(fsys, dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("lessons: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") {
			continue
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			return fmt.Errorf("lessons: %w", err)
		}
		if tests != nil && strings.HasSuffix(name, "_test.go") {
			tests[name] = b
			continue
		}
		code[name] = b
	}
	return nil
}

// readTestdata reads the files under dir/testdata, if there is such a folder.
func readTestdata(fsys fs.FS, dir string, into map[string][]byte) error {
	root := path.Join(dir, "testdata")
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		into[strings.TrimPrefix(p, dir+"/")] = b
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("lessons: %w", err)
	}
	return nil
}

// parseREADME finds the title, the summary and the hint tiers of a lesson page. It works on
// lines, not on a Markdown tree, and skips fenced code blocks so a "# comment" in a code block
// is not taken for a heading.
func parseREADME(src []byte) (title, summary string, hints []string) {
	var (
		inFence   bool
		inHints   bool
		hint      *strings.Builder
		para      []string
		paraDone  bool
		allHints  []*strings.Builder
		fenceMark string
	)
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	for _, line := range strings.Split(string(src), "\n") {
		trimmed := strings.TrimSpace(line)

		// Fenced code blocks: copy into a hint, never parse as headings.
		if mark, ok := fence(trimmed); ok && (!inFence || strings.HasPrefix(trimmed, fenceMark)) {
			if !inFence {
				fenceMark = mark
			}
			inFence = !inFence
			if hint != nil {
				hint.WriteString(line + "\n")
			}
			continue
		}
		if inFence {
			if hint != nil {
				hint.WriteString(line + "\n")
			}
			continue
		}

		switch {
		case strings.HasPrefix(line, "# ") && title == "":
			title = strings.TrimSpace(line[2:])
			continue
		case strings.HasPrefix(line, "## "):
			inHints = strings.EqualFold(strings.TrimSpace(line[3:]), "hints")
			hint = nil
			paraDone = paraDone || title != ""
			continue
		case strings.HasPrefix(line, "### ") && inHints:
			hint = &strings.Builder{}
			allHints = append(allHints, hint)
			continue
		}

		// An HTML comment (such as "<!-- from: file.go -->") is for tools, not for readers.
		isComment := strings.HasPrefix(trimmed, "<!--") && strings.HasSuffix(trimmed, "-->")
		if hint != nil && !isComment {
			hint.WriteString(line + "\n")
		}
		if title != "" && !paraDone {
			if trimmed == "" {
				paraDone = len(para) > 0
				continue
			}
			para = append(para, trimmed)
		}
	}
	for _, h := range allHints {
		hints = append(hints, strings.TrimSpace(h.String()))
	}
	return title, strings.Join(para, " "), hints
}

// fence reports whether line opens or closes a fenced code block, and its marker.
func fence(line string) (string, bool) {
	for _, m := range []string{"```", "~~~"} {
		if strings.HasPrefix(line, m) {
			return m, true
		}
	}
	return "", false
}
