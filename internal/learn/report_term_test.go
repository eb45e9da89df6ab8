package learn

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recordedRoot is the folder the fixtures under testdata/gotest were recorded in.
const recordedRoot = "/work/main/internal/learn/testdata/fakemod"

var fixedTime = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

var fakeLessons = []Lesson{
	{Number: 1, Dir: "01-pass", Title: "Passing lesson"},
	{Number: 2, Dir: "02-fail", Title: "Failing lesson"},
	{Number: 3, Dir: "03-nocompile", Title: "Broken lesson"},
	{Number: 4, Dir: "04-panic", Title: "Panicking lesson"},
	{Number: 5, Dir: "05-hang", Title: "Hanging lesson"},
}

// fixtureProgress builds the progress a run of all the fake lessons produces, from the
// recorded output.
func fixtureProgress(t *testing.T) Progress {
	t.Helper()
	tr := NewTracker(fakeLessons)
	r := &Runner{Root: recordedRoot, Tracker: tr,
		Now: func() time.Time { return fixedTime }}
	for _, pr := range parseFixture(t, "all") {
		dir := lessonDir(pr.ImportPath)
		tr.SetLesson(r.lessonState(dir, pr, 0))
	}
	return tr.Progress()
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "report", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update once to create %s", path)
	assert.Empty(t, cmp.Diff(string(want), got), "%s (-want +got)", path)
}

func TestWriteReport(t *testing.T) {
	p := fixtureProgress(t)
	allDone := p.clone()
	for i := range allDone.Lessons {
		allDone.Lessons[i].State = StateDone
	}
	tests := []struct {
		name   string
		golden string
		p      Progress
		o      TermOptions
	}{
		{name: "plainShowsFirstUnfinished", golden: "plain.txt", p: p},
		{name: "colorShowsFirstUnfinished", golden: "color.txt", p: p,
			o: TermOptions{Color: true}},
		{name: "focusOnBuildError", golden: "focus_nocompile.txt", p: p,
			o: TermOptions{Focus: "03-nocompile"}},
		{name: "focusOnPanic", golden: "focus_panic.txt", p: p,
			o: TermOptions{Focus: "04-panic"}},
		{name: "focusOnTimeout", golden: "focus_hang.txt", p: p,
			o: TermOptions{Focus: "05-hang"}},
		{name: "allDone", golden: "all_done.txt", p: allDone},
		{name: "oneNamedLesson", golden: "only_one.txt", p: ranOnly(p, "02-fail"),
			o: TermOptions{Only: []string{"02-fail"}}},
		{name: "namedLessonsSkipUnrun", golden: "only_several.txt",
			p: ranOnly(p, "01-pass", "04-panic"),
			o: TermOptions{Only: []string{"01-pass", "04-panic"}}},
		{name: "namedLessonDone", golden: "only_done.txt", p: ranOnly(p, "01-pass"),
			o: TermOptions{Only: []string{"01-pass"}}},
		{name: "namedColor", golden: "only_color.txt", p: ranOnly(p, "02-fail"),
			o: TermOptions{Color: true, Only: []string{"02-fail"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			require.NoError(t, WriteReport(&b, tt.p, tt.o))
			checkGolden(t, tt.golden, b.String())
			if !tt.o.Color {
				assert.NotContains(t, b.String(), "\x1b[", "plain output has no escape codes")
			}
		})
	}
}

// ranOnly returns p as a run of the lessons in dirs alone leaves it: the others not run.
func ranOnly(p Progress, dirs ...string) Progress {
	p = p.clone()
	for i, l := range p.Lessons {
		if !slices.Contains(dirs, l.Dir) {
			p.Lessons[i] = LessonState{Number: l.Number, Dir: l.Dir, Title: l.Title,
				State: StateNotRun}
		}
	}
	return p
}

func TestWriteReportNamedLessonsFocus(t *testing.T) {
	p := ranOnly(fixtureProgress(t), "01-pass", "02-fail", "04-panic")
	tests := []struct {
		name     string
		only     []string
		focus    string
		wantNext string
	}{
		{name: "firstUnfinishedNamed", only: []string{"01-pass", "04-panic"},
			wantNext: "Next: lesson 4,"},
		{name: "savedLessonFirst", only: []string{"02-fail", "04-panic"}, focus: "04-panic",
			wantNext: "Next: lesson 4,"},
		{name: "savedLessonOutsideNamed", only: []string{"04-panic"}, focus: "02-fail",
			wantNext: "Next: lesson 2,"},
		{name: "savedLessonDone", only: []string{"04-panic"}, focus: "01-pass",
			wantNext: "Next: lesson 4,"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := p.clone()
			q.Focus = tt.focus
			var b strings.Builder
			require.NoError(t, WriteReport(&b, q, TermOptions{Only: tt.only}))
			assert.Contains(t, b.String(), tt.wantNext,
				"the report points at the lesson saved last, else the first unfinished "+
					"lesson named, never at a lesson that was not run")
			assert.NotContains(t, b.String(), "Next: lesson 3,",
				"a lesson that was not run is not the next step")
		})
	}
}

func TestWriteReportCommand(t *testing.T) {
	p := fixtureProgress(t)
	allDone := p.clone()
	for i := range allDone.Lessons {
		allDone.Lessons[i].State = StateDone
	}
	tests := []struct {
		name    string
		p       Progress
		command string
		want    string
	}{
		{name: "hintDefault", p: p, want: "callbacklab hint 2"},
		{name: "hintGoRun", p: p, command: "go run .", want: "go run . hint 2"},
		{name: "solutionDefault", p: allDone, want: "callbacklab solution N"},
		{name: "solutionGoRun", p: allDone, command: "go run .", want: "go run . solution N"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			require.NoError(t, WriteReport(&b, tt.p, TermOptions{Command: tt.command}))
			assert.Contains(t, b.String(), tt.want,
				"the report suggests the command the way the learner runs callbacklab")
			if tt.command != "" {
				assert.NotContains(t, b.String(), "callbacklab ",
					"a learner who runs `go run .` may have no callbacklab command")
			}
		})
	}
}

func TestShortenPanicKeepsMessageAndLessonFrames(t *testing.T) {
	p := fixtureProgress(t)
	l, ok := p.Lesson("04-panic")
	require.True(t, ok)
	got := Shorten(l.Failed()[0])
	want := []string{
		"panic: assignment to entry in nil map",
		"at lessons/04-panic/exercise.go:5",
		"at lessons/04-panic/exercise_test.go:7",
	}
	assert.Empty(t, cmp.Diff(want, got), "a panic shortens to its message and places (-want +got)")
}

func TestColorEnabled(t *testing.T) {
	env := func(m map[string]string) func(string) string {
		return func(k string) string { return m[k] }
	}
	var b strings.Builder
	assert.False(t, ColorEnabled(&b, env(nil)), "a buffer is not a terminal")
	f, err := os.CreateTemp(t.TempDir(), "out")
	require.NoError(t, err)
	defer f.Close()
	assert.False(t, ColorEnabled(f, env(nil)), "a regular file is not a terminal")
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		defer tty.Close()
		assert.True(t, ColorEnabled(tty, env(nil)), "a terminal gets colours")
		assert.False(t, ColorEnabled(tty, env(map[string]string{"NO_COLOR": "1"})),
			"NO_COLOR turns colours off")
		assert.False(t, ColorEnabled(tty, env(map[string]string{"TERM": "dumb"})),
			"TERM=dumb turns colours off")
	}
}

func BenchmarkWriteReport(b *testing.B) {
	tr := NewTracker(fakeLessons)
	for _, l := range fakeLessons {
		tr.SetLesson(LessonState{Dir: l.Dir, State: StateFailing, Tests: []TestResult{
			{Name: "TestA", Status: TestFailed, Output: []string{"a_test.go:1: want 1, got 2"}},
			{Name: "TestB", Status: TestPassed},
		}})
	}
	p := tr.Progress()
	var sb strings.Builder
	for b.Loop() {
		sb.Reset()
		if err := WriteReport(&sb, p, TermOptions{Color: true}); err != nil {
			b.Fatal(err)
		}
	}
}
