package lessonproof

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"callbacklab/lessons"
)

// stubBudget is the longest an untouched lesson's tests may run (test time, not build time).
const stubBudget = time.Second

var lessonDirPattern = regexp.MustCompile(`^\d\d-[a-z0-9-]+$`)

// repoRoot returns the folder holding go.mod, found from the test's working folder upwards.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, dir, parent, "no go.mod above the test's working folder")
		dir = parent
	}
}

// lessonDirs returns the lesson folder names (such as "03-async-callbacks") in order.
func lessonDirs(t *testing.T, root string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(root, "lessons"))
	require.NoError(t, err, "reading the lessons folder")
	var dirs []string
	for _, e := range entries {
		if e.IsDir() && lessonDirPattern.MatchString(e.Name()) {
			dirs = append(dirs, e.Name())
		}
	}
	require.NotEmpty(t, dirs, "no lesson folders (NN-slug) under %s/lessons", root)
	return dirs
}

// goTool returns the path of the go command, or fails the test saying how to fix it.
func goTool(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("go")
	require.NoError(t, err, "the lesson proof runs the go command, and there is none on PATH; "+
		"add the Go toolchain's bin folder (see `go env GOROOT`) to PATH")
	return path
}

// runGo runs the go command in dir with a bounded time and returns its combined output.
func runGo(t *testing.T, dir string, env []string, args ...string) ([]byte, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goTool(t), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.Bytes(), err
}

// goFiles lists the .go files of dir: the exercise files and the test files.
func goFiles(t *testing.T, dir string) (code, tests []string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, nil
	}
	require.NoError(t, err)
	for _, e := range entries {
		switch name := e.Name(); {
		case e.IsDir() || !strings.HasSuffix(name, ".go"):
		case strings.HasSuffix(name, "_test.go"):
			tests = append(tests, name)
		default:
			code = append(code, name)
		}
	}
	return code, tests
}

// writeOverlay writes an overlay file that puts each _solution file in place of its twin.
func writeOverlay(t *testing.T, lessonPath string) string {
	t.Helper()
	code, _ := goFiles(t, lessonPath)
	solution, _ := goFiles(t, filepath.Join(lessonPath, "_solution"))
	require.NotEmpty(t, solution, "%s/_solution holds no .go files; every lesson needs its "+
		"reference solution there", filepath.Base(lessonPath))
	for _, name := range code {
		require.Contains(t, solution, name, "exercise file %s has no twin _solution/%s", name, name)
	}
	replace := map[string]string{}
	for _, name := range solution {
		replace[filepath.Join(lessonPath, name)] = filepath.Join(lessonPath, "_solution", name)
	}
	b, err := json.Marshal(map[string]any{"Replace": replace})
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "overlay.json")
	require.NoError(t, os.WriteFile(path, b, 0o600))
	return path
}

// TestSolutions checks that every reference solution passes its lesson's tests, in place.
func TestSolutions(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	for _, dir := range lessonDirs(t, root) {
		t.Run(dir, func(t *testing.T) {
			t.Parallel()
			lessonPath := filepath.Join(root, "lessons", dir)
			require.NotEmpty(t, topLevelTests(t, lessonPath), "%s has no Test functions", dir)
			overlay := writeOverlay(t, lessonPath)
			pkg := "./lessons/" + dir + "/"

			out, err := runGo(t, root, nil, "vet", "-overlay="+overlay, pkg)
			require.NoError(t, err, "go vet fails on the reference solution of %s:\n%s", dir, out)

			// The race detector waits a second before a test binary exits unless told not to.
			out, err = runGo(t, root, []string{"GORACE=atexit_sleep_ms=0"}, "test", "-race",
				"-count=3", "-shuffle=on", "-overlay="+overlay, pkg)
			require.NoError(t, err, "the reference solution of %s must pass its tests with "+
				"-race -count=3 -shuffle=on:\n%s", dir, out)
		})
	}
}

// testEvent is one line of `go test -json`.
type testEvent struct {
	Action  string
	Package string
	Test    string
	Elapsed float64
	Output  string
}

// TestStubs checks that every untouched stub compiles, is vet clean, and fails every test of
// its lesson quickly.
func TestStubs(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	for _, dir := range lessonDirs(t, root) {
		t.Run(dir, func(t *testing.T) {
			t.Parallel()
			lessonPath := filepath.Join(root, "lessons", dir)
			pkg := "./lessons/" + dir + "/"
			want := topLevelTests(t, lessonPath)
			require.NotEmpty(t, want, "%s has no Test functions", dir)

			out, err := runGo(t, root, nil, "vet", pkg)
			require.NoError(t, err, "go vet fails on the untouched stubs of %s:\n%s", dir, out)

			out, _ = runGo(t, root, nil, "test", "-json", "-count=1", pkg)
			final, elapsed, text := readEvents(t, out)
			for _, name := range want {
				switch final[name] {
				case "fail":
				case "":
					t.Errorf("%s: %s never finished on the untouched stubs: the test binary "+
						"crashed, hung or did not build. Output:\n%s", dir, name, text)
				default:
					t.Errorf("%s: %s must fail on the untouched stubs, but it ended with %q. "+
						"Every test must fail until the learner writes the exercise",
						dir, name, final[name])
				}
			}
			assert.Less(t, elapsed, stubBudget, "%s: the tests of the untouched stubs took %v; "+
				"they must fail within %v (use testing/synctest, not real waiting)",
				dir, elapsed, stubBudget)
		})
	}
}

// topLevelTests lists the TestXxx functions of a lesson's test files.
func topLevelTests(t *testing.T, lessonPath string) []string {
	t.Helper()
	_, tests := goFiles(t, lessonPath)
	re := regexp.MustCompile(`(?m)^func (Test[A-Z_0-9]\w*)\(\w+ \*testing\.T\)`)
	var names []string
	for _, name := range tests {
		b, err := os.ReadFile(filepath.Join(lessonPath, name))
		require.NoError(t, err)
		for _, m := range re.FindAllSubmatch(b, -1) {
			names = append(names, string(m[1]))
		}
	}
	slices.Sort(names)
	return names
}

// readEvents reads `go test -json` output: the final action of each top-level test, the
// package's elapsed test time, and the plain text output (build errors included).
func readEvents(t *testing.T, out []byte) (final map[string]string, elapsed time.Duration,
	text string) {
	t.Helper()
	final = map[string]string{}
	var buf strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var e testEvent
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			buf.WriteString(sc.Text() + "\n") // the go command's own messages
			continue
		}
		buf.WriteString(e.Output)
		switch {
		case e.Test == "" && (e.Action == "pass" || e.Action == "fail"):
			elapsed = time.Duration(e.Elapsed * float64(time.Second))
		case e.Test != "" && !strings.Contains(e.Test, "/") &&
			slices.Contains([]string{"pass", "fail", "skip"}, e.Action):
			final[e.Test] = e.Action
		}
	}
	text = buf.String()
	if len(text) > 6000 {
		text = text[:6000] + "\n[output cut]"
	}
	return final, elapsed, text
}

// TestREADMEs checks each lesson page's structure and each lesson's files.
func TestREADMEs(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	titles := map[string]string{}
	packages := map[string]string{}
	for _, dir := range lessonDirs(t, root) {
		t.Run(dir, func(t *testing.T) {
			// Read one lesson at a time, so that one broken folder fails only its subtest.
			all, err := lessons.Load(oneLesson{os.DirFS(filepath.Join(root, "lessons")), dir})
			require.NoError(t, err, "the lessons package cannot read %s", dir)
			require.Len(t, all, 1)
			l := all[0]
			lessonPath := filepath.Join(root, "lessons", l.Dir)
			checkPage(t, l, lessonPath)

			// Unique titles and package names.
			if other, ok := titles[l.Title]; ok {
				t.Errorf("%s and %s have the same title %q", other, l.Dir, l.Title)
			}
			titles[l.Title] = l.Dir

			// The exercise files and their twins.
			require.NotEmpty(t, l.Exercise, "%s has no exercise .go file", l.Dir)
			assert.ElementsMatch(t, slices.Collect(mapKeys(l.Exercise)),
				slices.Collect(mapKeys(l.Solution)), "%s: the exercise files and the files in "+
					"_solution/ must have the same names", l.Dir)
			stubPkg, stubAPI, err := API(l.Exercise)
			require.NoError(t, err, "%s: reading the exercise files", l.Dir)
			solPkg, solAPI, err := API(l.Solution)
			require.NoError(t, err, "%s: reading the _solution files", l.Dir)
			assert.Equal(t, solPkg, stubPkg, "%s: the stub and the solution must be the same "+
				"package", l.Dir)
			assert.Empty(t, cmp.Diff(solAPI, stubAPI), "%s: the stub must declare exactly the "+
				"solution's exported API (-solution +stub)", l.Dir)
			if other, ok := packages[stubPkg]; ok {
				t.Errorf("%s and %s are both package %s; lesson package names must differ",
					other, l.Dir, stubPkg)
			}
			packages[stubPkg] = l.Dir
		})
	}
}

// oneLesson is a lessons folder that shows only one lesson at its root.
type oneLesson struct {
	fs.FS
	dir string
}

func (o oneLesson) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, err := fs.ReadDir(o.FS, name)
	if err != nil || name != "." {
		return entries, err
	}
	return slices.DeleteFunc(entries, func(e fs.DirEntry) bool { return e.Name() != o.dir }), nil
}

func mapKeys(m map[string][]byte) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

var titlePattern = regexp.MustCompile(`^Lesson (\d+): \S`)

// checkPage checks one lesson README: title, summary, sections, hints, how to run the tests,
// diagrams and relative links.
func checkPage(t *testing.T, l lessons.Lesson, lessonPath string) {
	t.Helper()
	m := titlePattern.FindStringSubmatch(l.Title)
	if assert.NotNil(t, m, "%s/README.md: the title must read \"Lesson N: Title\"; got %q",
		l.Dir, l.Title) {
		assert.Equal(t, fmt.Sprint(l.Number), m[1], "%s/README.md: the title's number must "+
			"match the folder", l.Dir)
	}
	assert.NotEmpty(t, l.Summary, "%s/README.md: a summary paragraph must follow the title", l.Dir)

	headings := Headings(l.README)
	assert.Equal(t, 1, count(headings, func(h string) bool { return strings.HasPrefix(h, "# ") }),
		"%s/README.md must have exactly one level-one heading", l.Dir)
	assert.Contains(t, headings, "## The task", "%s/README.md needs a \"## The task\" section",
		l.Dir)
	assert.Contains(t, headings, "## Hints", "%s/README.md needs a \"## Hints\" section", l.Dir)
	for i := 1; i <= 3; i++ {
		assert.Contains(t, headings, fmt.Sprintf("### Hint %d", i),
			"%s/README.md needs \"### Hint %d\" under \"## Hints\"", l.Dir, i)
	}
	if assert.Len(t, l.Hints, 3, "%s/README.md must have exactly three hints", l.Dir) {
		for i, h := range l.Hints {
			assert.NotEmpty(t, h, "%s/README.md: hint %d is empty", l.Dir, i+1)
		}
	}
	runLine := regexp.MustCompile(`go test (-\S+ )*\./lessons/` + regexp.QuoteMeta(l.Dir) + `/`)
	assert.True(t, runLine.Match(l.README), "%s/README.md must say how to run the lesson's "+
		"tests, as `go test ./lessons/%s/`", l.Dir, l.Dir)

	for _, b := range Blocks(l.README) {
		if b.Lang == "mermaid" {
			assert.Equal(t, "sequenceDiagram", firstWord(b.Code), "%s/README.md:%d: the "+
				"web app draws only Mermaid sequence diagrams", l.Dir, b.Line)
		}
	}
	for _, link := range Links(l.README) {
		target, _, _ := strings.Cut(link, "#")
		if target == "" || strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
			continue
		}
		if _, err := os.Stat(filepath.Join(lessonPath, filepath.FromSlash(target))); err != nil {
			t.Errorf("%s/README.md links to %q, which does not exist", l.Dir, link)
		}
	}
}

func count(list []string, ok func(string) bool) int {
	n := 0
	for _, s := range list {
		if ok(s) {
			n++
		}
	}
	return n
}
