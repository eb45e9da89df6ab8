//go:build unix

package learn

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunnerRunsRealLessons(t *testing.T) {
	root := copyFakeModule(t, "01-pass", "02-fail", "03-nocompile", "04-panic", "05-hang")
	lessons, err := FindLessons(root)
	require.NoError(t, err)
	tr := NewTracker(lessons)
	r := &Runner{Root: root, Tracker: tr, Timeout: time.Second}

	require.NoError(t, r.Run(t.Context(), []string{"01-pass", "02-fail", "03-nocompile",
		"04-panic", "05-hang"}), "failing lessons are results, not errors")

	got := map[string]State{}
	for _, l := range tr.Progress().Lessons {
		got[l.Dir] = l.State
	}
	assert.Equal(t, map[string]State{
		"01-pass": StateDone, "02-fail": StateFailing, "03-nocompile": StateDoesNotCompile,
		"04-panic": StateFailing, "05-hang": StateTimedOut,
	}, got, "each kind of lesson gets its state from a real go test run")
	assert.False(t, tr.Progress().Running, "the run is over")
	l, _ := tr.Progress().Lesson("03-nocompile")
	assert.Contains(t, l.BuildErrors,
		"lessons/03-nocompile/exercise.go:5:27: undefined: undefinedThing",
		"compiler messages name the file relative to the module root")
}

func TestRunnerCancelKillsHungTests(t *testing.T) {
	root := copyFakeModule(t, "06-block")
	marker := filepath.Join(t.TempDir(), "pid")
	t.Setenv("LEARN_MARKER", marker)
	lessons, err := FindLessons(root)
	require.NoError(t, err)
	tr := NewTracker(lessons)
	r := &Runner{Root: root, Tracker: tr, Timeout: time.Minute}

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- r.Run(ctx, []string{"06-block"}) }()

	// Wait until the test binary is running and blocked.
	pid := waitForPID(t, marker)
	cancel()
	select {
	case err := <-errc:
		assert.ErrorIs(t, err, context.Canceled, "a cancelled run says so")
	case <-time.After(waitLimit):
		require.FailNow(t, "a cancelled run did not end")
	}
	assert.True(t, diesSoon(pid),
		"the blocked test binary is killed with the go command, not left running")
}

// diesSoon reports whether process pid is gone within waitLimit: a killed process may still
// be exiting, on a busy machine, when the run that killed it returns.
func diesSoon(pid int) bool {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	limit := time.After(waitLimit)
	for alive(pid) {
		select {
		case <-tick.C:
		case <-limit:
			return false
		}
	}
	return true
}

// alive reports whether process pid runs; a zombie (killed, not yet reaped by its new
// parent) does not count.
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	// The state follows the command name in parentheses: "123 (name) Z ...".
	_, rest, _ := strings.Cut(string(stat), ") ")
	return !strings.HasPrefix(rest, "Z") && !strings.HasPrefix(rest, "X")
}

// waitForPID waits, with a bound, for the blocking test to write its process id.
func waitForPID(t *testing.T, marker string) int {
	t.Helper()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	limit := time.After(60 * time.Second) // compiling may be slow on a busy machine
	for {
		select {
		case <-tick.C:
		case <-limit:
			require.FailNow(t, "the blocking test never started")
		}
		b, err := os.ReadFile(marker)
		if err != nil || len(b) == 0 {
			continue
		}
		pid, err := strconv.Atoi(string(b))
		require.NoError(t, err)
		return pid
	}
}

func TestFindRoot(t *testing.T) {
	root := copyFakeModule(t, "01-pass")
	deep := filepath.Join(root, "lessons", "01-pass")
	got, err := FindRoot(deep)
	require.NoError(t, err)
	assert.Equal(t, root, got, "the root is found from inside a lesson folder")

	_, err = FindRoot(t.TempDir())
	assert.ErrorIs(t, err, ErrNoWorkspace, "outside a callbacklab folder the error says so")
}

func TestRunnerWithoutGo(t *testing.T) {
	tr := NewTracker(fakeLessons)
	r := &Runner{Root: t.TempDir(), Tracker: tr, GoCommand: "no-such-go-command"}
	err := r.Run(t.Context(), []string{"01-pass"})
	assert.ErrorIs(t, err, ErrNoGo, "a missing go command is named as such")
	assert.Contains(t, tr.Progress().Err, "install Go", "and the progress tells what to do")
}

func TestWatchCancelsARunForANewerSave(t *testing.T) {
	root := copyFakeModule(t, "01-pass", "06-block")
	marker := filepath.Join(t.TempDir(), "pid")
	t.Setenv("LEARN_MARKER", marker)
	lessons, err := FindLessons(root)
	require.NoError(t, err)
	tr := NewTracker(lessons)
	results := make(chan []string, 4)
	w := &Watch{
		Runner:   &Runner{Root: root, Tracker: tr, Timeout: time.Minute},
		Files:    FileWatch{Root: root, Debounce: 20 * time.Millisecond},
		Lessons:  lessons,
		OnResult: func(_ Run, dirs []string) { results <- dirs },
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx, nil) }()
	defer func() { cancel(); <-done }()

	// The first run hangs in 06-block, whose test blocks for its one-minute timeout.
	pid := waitForPID(t, marker)

	// A save of 01-pass must not wait for it: the hung run is cancelled and killed.
	require.NoError(t, os.WriteFile(filepath.Join(root, "lessons", "01-pass", "exercise.go"),
		[]byte("package pass\n\n// Double returns twice n.\nfunc Double(n int) int { return n + n }\n"),
		0o644))
	select {
	case dirs := <-results:
		assert.Equal(t, []string{"01-pass"}, dirs, "the saved lesson's result comes first")
	case <-time.After(30 * time.Second):
		require.FailNow(t, "the saved lesson waited for the hung run")
	}
	assert.False(t, alive(pid), "the hung test binary of the cancelled run is killed")
}
