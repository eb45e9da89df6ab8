package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"

	"callbacklab/internal/learn"
	"callbacklab/lessons"
	"callbacklab/server/workshop"
)

// solutionFlags returns the flag set of "callbacklab solution".
func solutionFlags(stderr io.Writer) (*flag.FlagSet, *checkConfig) {
	cfg := &checkConfig{}
	fs := newFlagSet("solution", stderr, "[flags] N",
		"Shows the reference solution of lesson N, once your own solution passes its tests,\n"+
			"so you can compare the two.")
	cfg.register(fs)
	return fs, cfg
}

func runSolution(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs, cfg := solutionFlags(stderr)
	if done, err := parseFlags(fs, args); done {
		return err
	}
	if err := learn.CheckTimeout(cfg.timeout); err != nil {
		return usageError(err.Error())
	}
	l, err := lessonArg(fs, "solution")
	if err != nil {
		return err
	}
	ws, err := openWorkspace(cfg.dir)
	if err != nil {
		return err
	}

	// An instructor may have unlocked it for the whole room (callbacklab watch --join).
	if workshop.SavedUnlocks(workshop.DefaultCredentialsPath()).For(l.Number).Solution {
		fmt.Fprintf(stdout, "Your instructor unlocked the solution of lesson %d for everyone.\n",
			l.Number)
		writeSolution(stdout, l)
		return nil
	}

	// Otherwise the solution is shown only to a learner whose own code passes.
	tracker := learn.NewTracker(ws.lessons)
	runner := &learn.Runner{Root: ws.root, Tracker: tracker, Timeout: cfg.timeout,
		Command: self()}
	if err := runner.Run(ctx, []string{l.Dir}); ctx.Err() != nil {
		return errFailed
	} else if err != nil {
		return err
	}
	state, ok := tracker.Progress().Lesson(l.Dir)
	if !ok {
		return fmt.Errorf("lesson %s is not in %s/lessons", l.Dir, ws.root)
	}
	if state.State != learn.StateDone {
		fmt.Fprintf(stdout, "Lesson %d does not pass yet (%s), so its solution stays hidden.\n"+
			"Run `"+self()+" check %d` to see what fails, or `"+self()+" hint %d` for a hint.\n",
			l.Number, stateWords(state.State), l.Number, l.Number)
		return errFailed
	}

	fmt.Fprintf(stdout, "Lesson %d passes. Here is the reference solution to compare with yours.\n",
		l.Number)
	writeSolution(stdout, l)
	return nil
}

// writeSolution prints every file of a lesson's reference solution.
func writeSolution(w io.Writer, l lessons.Lesson) {
	for _, name := range slices.Sorted(maps.Keys(l.Solution)) {
		fmt.Fprintf(w, "\n==> lessons/%s/_solution/%s <==\n%s", l.Dir, name, l.Solution[name])
	}
}

// stateWords says a state in words for a sentence.
func stateWords(s learn.State) string {
	switch s {
	case learn.StateFailing:
		return "some tests fail"
	case learn.StateDoesNotCompile:
		return "the code does not compile"
	case learn.StateTimedOut:
		return "a test did not finish in time"
	}
	return string(s)
}
