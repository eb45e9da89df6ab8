package learn

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type result struct {
	run  Run
	dirs []string
	at   time.Time
}

// nextResult waits, with a bound, for the watch to report finished tests.
func nextResult(t *testing.T, ch <-chan result) result {
	t.Helper()
	select {
	case r := <-ch:
		return r
	case <-time.After(60 * time.Second):
		require.FailNow(t, "the watch reported no result")
		return result{}
	}
}

func TestWatchRerunsTheSavedLesson(t *testing.T) {
	root := copyFakeModule(t, "01-pass", "02-fail")
	lessons, err := FindLessons(root)
	require.NoError(t, err)
	tr := NewTracker(lessons)
	results := make(chan result, 16)
	w := &Watch{
		Runner:  &Runner{Root: root, Tracker: tr, Timeout: 5 * time.Second},
		Files:   FileWatch{Root: root, Debounce: 50 * time.Millisecond},
		Lessons: lessons,
		OnResult: func(r Run, dirs []string) {
			results <- result{run: r, dirs: dirs, at: time.Now()}
		},
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx, nil) }()
	defer func() {
		cancel()
		require.NoError(t, <-done, "the watch ends cleanly when cancelled")
	}()

	// The first run covers every lesson.
	first := nextResult(t, results)
	assert.Nil(t, first.run.Changed, "the first run is a full run")
	assert.ElementsMatch(t, []string{"01-pass", "02-fail"}, first.dirs)
	l, _ := tr.Progress().Lesson("02-fail")
	require.Equal(t, StateFailing, l.State, "the unsolved fake lesson fails at first")

	exercise := filepath.Join(root, "lessons", "02-fail", "exercise.go")
	save := func(src string) time.Time {
		t.Helper()
		tmp := exercise + ".tmp"
		require.NoError(t, os.WriteFile(tmp, []byte(src), 0o644))
		at := time.Now()
		require.NoError(t, os.Rename(tmp, exercise), "an atomic save, as many editors do")
		return at
	}

	// A save that breaks the build: the watch reports it and keeps going.
	save("package fail\n\nfunc Greet(name string) string { return name + }\n")
	r := nextResult(t, results)
	assert.Equal(t, []string{"02-fail"}, r.dirs, "only the saved lesson is re-run")
	l, _ = tr.Progress().Lesson("02-fail")
	assert.Equal(t, StateDoesNotCompile, l.State, "a syntax error is reported as such")

	// A save that solves the lesson.
	saved := save("package fail\n\n// Greet greets.\n" +
		"func Greet(name string) string { return \"Hello, \" + name + \"!\" }\n")
	r = nextResult(t, results)
	assert.Equal(t, []string{"02-fail"}, r.dirs, "only the saved lesson is re-run")
	l, _ = tr.Progress().Lesson("02-fail")
	assert.Equal(t, StateDone, l.State, "the solved lesson passes")
	t.Logf("save to result for one lesson: %s", r.at.Sub(saved).Round(time.Millisecond))
}

func TestWatchRunsNamedLessonsFirst(t *testing.T) {
	root := copyFakeModule(t, "01-pass", "02-fail")
	lessons, err := FindLessons(root)
	require.NoError(t, err)
	results := make(chan result, 16)
	w := &Watch{
		Runner:  &Runner{Root: root, Tracker: NewTracker(lessons), Timeout: 5 * time.Second},
		Files:   FileWatch{Root: root, Debounce: 50 * time.Millisecond},
		Lessons: lessons,
		First:   []string{"02-fail"},
		OnResult: func(r Run, dirs []string) {
			results <- result{run: r, dirs: dirs, at: time.Now()}
		},
	}
	ctx, cancel := context.WithCancel(t.Context())
	rerun := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx, rerun) }()
	defer func() {
		cancel()
		require.NoError(t, <-done, "the watch ends cleanly when cancelled")
	}()

	// The named lesson, then the others, on the first run and on every full run.
	for _, when := range []string{"at start", "when asked to run all again"} {
		assert.Equal(t, []string{"02-fail"}, nextResult(t, results).dirs,
			"%s, the named lesson is reported first", when)
		assert.Equal(t, []string{"01-pass"}, nextResult(t, results).dirs,
			"%s, the other lessons run after the named one", when)
		if when == "at start" {
			rerun <- struct{}{}
		}
	}

	// A save that changes nothing, such as `touch`, still re-runs the lesson: the learner
	// who saves gets a result.
	now := time.Now()
	exercise := filepath.Join(root, "lessons", "01-pass", "exercise.go")
	require.NoError(t, os.Chtimes(exercise, now, now))
	r := nextResult(t, results)
	assert.Equal(t, []string{"01-pass"}, r.dirs, "touching a lesson file re-runs that lesson")
	assert.Equal(t, []string{"01-pass"}, r.run.Changed, "the run names the touched lesson")
}
