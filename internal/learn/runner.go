package learn

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path"
	"strings"
	"time"
)

// DefaultTimeout is the default -timeout of one lesson's test binary. Lesson tests are fast
// (they use fake time), so a test still running after this long is stuck.
const DefaultTimeout = 10 * time.Second

// buildAllowance is how long the go command may spend compiling before the runner gives up on
// a run, on top of the test timeout.
const buildAllowance = 2 * time.Minute

// ErrNoGo is returned by [Runner.Run] when the go command is not installed.
var ErrNoGo = errors.New("the go command was not found: install Go (go.dev/dl) " +
	"and make sure `go version` works in this terminal")

// Runner runs the lessons' tests with `go test -json` and records the results in a
// [Tracker].
type Runner struct {
	// Root is the module root: the folder holding go.mod and lessons/.
	Root string
	// Tracker receives every lesson's result as soon as its package finishes.
	Tracker *Tracker
	// Timeout is the -timeout of each test binary; zero means [DefaultTimeout]. A negative
	// timeout is refused by [Runner.Run]: `go test` would take it as "no limit", and an
	// endless loop would hang the run. Check a timeout a learner typed with [CheckTimeout].
	Timeout time.Duration
	// Command is how the learner runs callbacklab, for the commands messages suggest (such
	// as "go run . reset 01"); empty means "callbacklab".
	Command string
	// GoCommand is the go command to run; empty means "go" from PATH.
	GoCommand string
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

// CheckTimeout returns an error, worded for the learner, when d cannot be a test timeout:
// zero or less would mean "no limit" to `go test`, so a test stuck in an endless loop would
// never end. Commands check their -timeout flag with it.
func CheckTimeout(d time.Duration) error {
	if d > 0 {
		return nil
	}
	return fmt.Errorf("the timeout must be more than zero, such as %v or 1m (got %v): "+
		"it is how long a lesson's tests may run before they count as stuck", DefaultTimeout, d)
}

// Run runs the tests of the lessons in dirs (folder names such as "01-first-callbacks"), all
// in one `go test` command so the go command builds and runs them in parallel, and records
// each lesson's result in the tracker as its package finishes. Cancelling ctx kills the go
// command and its test binaries; the lessons that did not finish keep the state "running"
// and Run returns ctx's error. Failing tests are not an error: Run returns an error only when
// the tests could not be run at all, or r.Timeout is negative.
func (r *Runner) Run(ctx context.Context, dirs []string) error {
	if r.Timeout < 0 {
		return CheckTimeout(r.Timeout)
	}
	if len(dirs) == 0 {
		return nil
	}
	timeout := r.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	started := r.now()
	r.Tracker.setStates(dirs, StateRunning)
	r.Tracker.Update(func(p *Progress) { p.Running, p.Err = true, "" })
	defer r.Tracker.Update(func(p *Progress) { p.Running = false })

	// The whole command gets a deadline too, in case the go command itself hangs.
	runCtx, cancel := context.WithTimeout(ctx, timeout+buildAllowance)
	defer cancel()

	args := []string{"test", "-json", "-timeout", timeout.String()}
	for _, d := range dirs {
		args = append(args, "./lessons/"+d)
	}
	goCmd := r.GoCommand
	if goCmd == "" {
		goCmd = "go"
	}
	cmd := exec.CommandContext(runCtx, goCmd, args...)
	cmd.Dir = r.Root
	killProcessGroup(cmd)
	var stderr bytes.Buffer
	cmd.Stderr = &limitedWriter{w: &stderr, n: 64 * 1024}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("learn: %w", err)
	}
	if err := cmd.Start(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			err = ErrNoGo
		}
		r.Tracker.Update(func(p *Progress) { p.Err = "could not run go test: " + err.Error() })
		return fmt.Errorf("learn: running go test: %w", err)
	}

	// Read events as they come and publish each lesson as soon as its package finishes.
	reported := map[string]bool{}
	other := r.read(stdout, started, reported)
	waitErr := cmd.Wait()

	if ctx.Err() != nil {
		return ctx.Err()
	}
	r.reportMissing(dirs, reported, started, runCtx.Err() != nil, other, stderr.String())
	var exitErr *exec.ExitError
	if waitErr != nil && !errors.As(waitErr, &exitErr) {
		return fmt.Errorf("learn: running go test: %w", waitErr)
	}
	return nil
}

// read parses the go command's JSON output until it ends, sets the state of each lesson whose
// package finished and returns the lines that were not JSON.
func (r *Runner) read(stdout io.Reader, started time.Time, reported map[string]bool) []string {
	p := newParser()
	var other []string
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 0, 64*1024), 4*1024*1024)
	for sc.Scan() {
		pkg, ok := p.line(sc.Bytes())
		if !ok {
			if len(other) < 200 && strings.TrimSpace(sc.Text()) != "" {
				other = append(other, sc.Text())
			}
			continue
		}
		pr, known := p.pkgs[pkg]
		if !known || pr.Outcome == PackageRunning {
			continue
		}
		dir := lessonDir(pkg)
		if dir == "" || reported[dir] {
			continue
		}
		reported[dir] = true
		r.Tracker.SetLesson(r.lessonState(dir, p.result(pkg), r.now().Sub(started)))
	}
	if sc.Err() != nil {
		// A line too long to parse: keep reading, or the go command would block writing.
		other = append(other, "part of the test output could not be read: "+sc.Err().Error())
		_, _ = io.Copy(io.Discard, stdout)
	}
	return other
}

// reportMissing sets the state of the lessons the go command said nothing about: it failed
// before running them (a missing package, a broken go.mod) or the run's deadline passed.
func (r *Runner) reportMissing(dirs []string, reported map[string]bool, started time.Time,
	deadline bool, other []string, stderr string) {
	var msg []string
	msg = append(msg, other...)
	for l := range strings.SplitSeq(strings.TrimSpace(stderr), "\n") {
		if l != "" {
			msg = append(msg, l)
		}
	}
	for _, d := range dirs {
		if reported[d] {
			continue
		}
		s := LessonState{Dir: d, State: StateDoesNotCompile, BuildErrors: r.relative(msg),
			Duration: r.now().Sub(started), Finished: r.now()}
		if deadline {
			s.State = StateTimedOut
			s.Output = []string{"the go command did not finish in time and was stopped"}
		}
		if len(s.BuildErrors) == 0 && !deadline {
			s.BuildErrors = []string{"go test reported nothing for this lesson"}
		}
		r.Tracker.SetLesson(s)
	}
}

// lessonState turns a package result into the lesson's state.
func (r *Runner) lessonState(dir string, pr PackageResult, d time.Duration) LessonState {
	s := LessonState{
		Dir:         dir,
		Tests:       pr.Tests,
		BuildErrors: r.relative(buildErrorLines(pr.BuildErrors)),
		Output:      r.relative(pr.Output),
		Duration:    d,
		Finished:    r.now(),
	}
	for i := range s.Tests {
		s.Tests[i].Output = r.relative(s.Tests[i].Output)
	}
	switch pr.Outcome {
	case PackagePassed:
		s.State = StateDone
	case PackageBuildFailed:
		s.State = StateDoesNotCompile
	case PackageTimedOut:
		s.State = StateTimedOut
	case PackageNoTests:
		s.State = StateFailing
		s.Output = append(s.Output, "this lesson has no test files: were they deleted? "+
			"`"+r.command()+" reset "+dir[:2]+"` restores them")
	default:
		s.State = StateFailing
	}
	return s
}

// relative removes the module root from the paths in lines, so "/home/ada/callbacklab/
// lessons/01-x/exercise.go:5" reads "lessons/01-x/exercise.go:5".
func (r *Runner) relative(lines []string) []string {
	if len(lines) == 0 {
		return nil
	}
	prefix := strings.TrimSuffix(r.Root, "/") + "/"
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.ReplaceAll(l, prefix, "")
	}
	return out
}

func (r *Runner) command() string {
	if r.Command == "" {
		return "callbacklab"
	}
	return r.Command
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// lessonDir returns the lesson folder of an import path such as
// "callbacklab/lessons/01-first-callbacks", or "" for other packages.
func lessonDir(importPath string) string {
	rest, ok := strings.CutPrefix(importPath, ModulePath+"/lessons/")
	if !ok || strings.Contains(rest, "/") {
		return ""
	}
	return path.Base(rest)
}

// limitedWriter keeps at most n bytes and drops the rest, so a test that prints without end
// cannot fill the memory.
type limitedWriter struct {
	w io.Writer
	n int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if l.n <= 0 {
		return len(p), nil
	}
	keep := p
	if len(keep) > l.n {
		keep = keep[:l.n]
	}
	l.n -= len(keep)
	if _, err := l.w.Write(keep); err != nil {
		return 0, err
	}
	return len(p), nil
}
