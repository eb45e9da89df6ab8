package learn

import (
	"context"
	"slices"
	"time"
)

// Run describes one test run started by a [Watch].
type Run struct {
	// Changed are the lessons whose saves caused the run; nil for a full run (the first one,
	// or one the learner asked for).
	Changed []string
	// SavedAt is when the first of those saves was noticed; zero for a full run.
	SavedAt time.Time
}

// Watch runs the lessons' tests once, and again after every save of a lesson file.
//
// A save cancels the run in progress (killing its test binaries), runs the lessons that
// changed first, so the learner sees the lesson they are working on at once, and then the
// lessons that have no result yet. A lesson that does not compile is a result like any
// other: the watch keeps going.
type Watch struct {
	// Runner runs the tests and records the results in its Tracker.
	Runner *Runner
	// Files reports the saves.
	Files FileWatch
	// Lessons are the lessons to run.
	Lessons []Lesson
	// First, if set, are the folders of the lessons a full run (the first one, or one the
	// learner asks for) runs and reports before the others: the lessons the learner named.
	First []string
	// OnStart, if set, is called when a run starts.
	OnStart func(Run)
	// OnResult, if set, is called when the tests of dirs have finished in run r; it is
	// called twice for a run caused by saves (the changed lessons, then the rest) and is
	// not called for a run that was cancelled.
	OnResult func(r Run, dirs []string)
}

// Run watches and runs until ctx is done. A value on rerun starts a full run. Run returns an
// error only when the files cannot be watched.
func (w *Watch) Run(ctx context.Context, rerun <-chan struct{}) error {
	changes, err := w.Files.Watch(ctx)
	if err != nil {
		return err
	}

	var (
		cancel context.CancelFunc
		done   chan struct{}
	)
	start := func(r Run) {
		if cancel != nil {
			cancel()
			<-done
		}
		var runCtx context.Context
		runCtx, cancel = context.WithCancel(ctx)
		done = make(chan struct{})
		go w.run(runCtx, r, done)
	}
	defer func() {
		if cancel != nil {
			cancel()
			<-done
		}
	}()

	start(Run{})
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-rerun:
			start(Run{})
		case c, ok := <-changes:
			if !ok {
				return nil
			}
			r := Run{Changed: c.Dirs, SavedAt: c.At}
			if slices.Contains(c.Dirs, "") {
				r = Run{SavedAt: c.At} // events were lost: run everything
			}
			start(r)
		}
	}
}

// run performs one run and closes done when it ends.
func (w *Watch) run(ctx context.Context, r Run, done chan<- struct{}) {
	defer close(done)
	if len(r.Changed) > 0 {
		w.Runner.Tracker.Update(func(p *Progress) { p.Focus = r.Changed[0] })
	}
	if w.OnStart != nil {
		w.OnStart(r)
	}

	// The changed lessons first; in a full run, the named lessons or else every one.
	first := w.known(r.Changed)
	if r.Changed == nil {
		first = w.known(w.First)
	}
	if r.Changed == nil && len(first) == 0 {
		first = w.dirs()
	}
	if len(first) == 0 {
		// TODO: Pick up lesson folders created after the watch started (a git pull that
		// brings new lessons); today their saves are ignored until watch is restarted.
		return
	}
	if err := w.Runner.Run(ctx, first); ctx.Err() != nil {
		return
	} else if err != nil && w.OnResult != nil {
		w.OnResult(r, first)
		return
	}
	if w.OnResult != nil {
		w.OnResult(r, first)
	}

	// Then the lessons with no result yet, such as those a cancelled run left behind, or
	// in a full run every other lesson.
	var rest []string
	for _, l := range w.Runner.Tracker.Progress().Lessons {
		stale := !l.State.Finished() || r.Changed == nil
		if stale && !slices.Contains(first, l.Dir) {
			rest = append(rest, l.Dir)
		}
	}
	if len(rest) == 0 {
		return
	}
	_ = w.Runner.Run(ctx, rest)
	if ctx.Err() == nil && w.OnResult != nil {
		w.OnResult(r, rest)
	}
}

// dirs returns every lesson folder.
func (w *Watch) dirs() []string {
	out := make([]string, len(w.Lessons))
	for i, l := range w.Lessons {
		out[i] = l.Dir
	}
	return out
}

// known keeps the folders that are lessons of this watch; a lesson folder created after the
// watch started is left out.
func (w *Watch) known(dirs []string) []string {
	var out []string
	for _, d := range dirs {
		if slices.ContainsFunc(w.Lessons, func(l Lesson) bool { return l.Dir == d }) {
			out = append(out, d)
		}
	}
	return out
}
