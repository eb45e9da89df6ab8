package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"callbacklab/internal/learn"
	"callbacklab/lessons"
)

// checkConfig holds the flags that "callbacklab check" and "callbacklab watch" share.
type checkConfig struct {
	dir     string
	timeout time.Duration
	plain   bool
	join    joinConfig // a workshop to share progress with; check and watch register it
}

// register adds the shared flags to fs.
func (c *checkConfig) register(fs *flag.FlagSet) {
	fs.StringVar(&c.dir, "dir", "", "your callbacklab folder (default: found from the current folder)")
	fs.DurationVar(&c.timeout, "timeout", learn.DefaultTimeout,
		"how long one lesson's tests may run before they count as stuck")
	fs.BoolVar(&c.plain, "plain", false, "plain text: no colours, even on a terminal")
}

// checkFlags returns the flag set of "callbacklab check".
func checkFlags(stderr io.Writer) (*flag.FlagSet, *checkConfig) {
	cfg := &checkConfig{}
	fs := newFlagSet("check", stderr, "[flags] [lesson...]",
		"Runs the tests of your lessons (all of them, or the ones named by number) and shows\n"+
			"your progress and what to fix next. It exits with status 0 only when they all pass.")
	cfg.register(fs)
	cfg.join.register(fs)
	return fs, cfg
}

func runCheck(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs, cfg := checkFlags(stderr)
	if done, err := parseFlags(fs, args); done {
		return err
	}
	if err := learn.CheckTimeout(cfg.timeout); err != nil {
		return usageError(err.Error())
	}
	ws, err := openWorkspace(cfg.dir)
	if err != nil {
		return err
	}
	dirs, err := ws.pick(fs.Args())
	if err != nil {
		return usageError(err.Error())
	}
	rep, err := cfg.join.reporter(stderr)
	if err != nil {
		return err
	}
	if rep != nil {
		if err := joinWorkshop(ctx, rep, stderr); err != nil {
			return err
		}
	}

	tracker := learn.NewTracker(ws.lessons)
	runner := &learn.Runner{Root: ws.root, Tracker: tracker, Timeout: cfg.timeout,
		Command: self()}
	color := !cfg.plain && learn.ColorEnabled(stdout, os.Getenv)

	// On a terminal, a status line counts the lessons as they finish.
	stopStatus := func() {}
	if color {
		stopStatus = showRunning(stdout, tracker, len(dirs))
	}
	err = runner.Run(ctx, dirs)
	stopStatus()
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "callbacklab: check was interrupted")
		return errFailed
	}
	if err != nil {
		return err
	}

	// When the learner named lessons, the report is about those lessons alone.
	p := tracker.Progress()
	if rep != nil {
		sendProgressOnce(ctx, rep, p, stderr)
	}
	opts := learn.TermOptions{Color: color, Command: self()}
	if fs.NArg() > 0 {
		opts.Only = dirs
	}
	if err := learn.WriteReport(stdout, p, opts); err != nil {
		return err
	}
	for _, l := range p.Lessons {
		if l.State != learn.StateDone && containsDir(dirs, l.Dir) {
			return errFailed
		}
	}
	return nil
}

// showRunning keeps one status line up to date while a run goes on, and returns a function
// that ends it and clears the line.
func showRunning(w io.Writer, tracker *learn.Tracker, total int) (stop func()) {
	ch, unsubscribe := tracker.Subscribe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for p := range ch {
			finished := 0
			for _, l := range p.Lessons {
				if l.State.Finished() {
					finished++
				}
			}
			fmt.Fprintf(w, "\r\x1b[Krunning the tests: %d/%d lessons checked", min(finished, total),
				total)
		}
	}()
	return func() {
		unsubscribe()
		<-done
		fmt.Fprint(w, "\r\x1b[K")
	}
}

// workspace is a callbacklab folder on disk.
type workspace struct {
	root    string
	lessons []learn.Lesson
}

// openWorkspace finds the callbacklab folder: dir if given, else the first folder up from the
// current one whose go.mod says module callbacklab.
func openWorkspace(dir string) (workspace, error) {
	start := dir
	if start == "" {
		wd, err := os.Getwd()
		if err != nil {
			return workspace{}, err
		}
		start = wd
	}
	root, err := learn.FindRoot(start)
	if err != nil {
		return workspace{}, err
	}
	all, err := learn.FindLessons(root)
	if err != nil {
		return workspace{}, err
	}
	return workspace{root: root, lessons: all}, nil
}

// pick returns the folders of the lessons named by keys ("3", "03-async-callbacks"), or of
// every lesson when there are none.
func (ws workspace) pick(keys []string) ([]string, error) {
	if len(keys) == 0 {
		dirs := make([]string, len(ws.lessons))
		for i, l := range ws.lessons {
			dirs[i] = l.Dir
		}
		return dirs, nil
	}
	var dirs []string
	for _, k := range keys {
		l, err := learn.LessonByKey(ws.lessons, k)
		if err != nil {
			return nil, err
		}
		dirs = append(dirs, l.Dir)
	}
	return dirs, nil
}

// newFlagSet returns a flag set whose usage message names the command and what it does.
func newFlagSet(name string, stderr io.Writer, synopsis, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: %s %s %s\n\n%s\n\n", self(), name, synopsis, about)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args into fs. Flags may come after the arguments too ("hint 1 -again"),
// as learners type them; after "--" everything is an argument. It reports done when the
// command should stop at once without an error: the learner asked for help, and got it.
func parseFlags(fs *flag.FlagSet, args []string) (done bool, err error) {
	var positional []string
	for {
		err = fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			return true, nil
		}
		if err != nil {
			return true, usageError(err.Error())
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			positional = append(positional, rest...)
			break
		}
		positional, args = append(positional, rest[0]), rest[1:]
	}
	// Leave the arguments in fs, where the commands read them.
	_ = fs.Parse(append([]string{"--"}, positional...))
	return false, nil
}

func containsDir(dirs []string, dir string) bool {
	for _, d := range dirs {
		if d == dir {
			return true
		}
	}
	return false
}

// lessonArg returns the one lesson that a command such as "hint 2" names.
func lessonArg(fs *flag.FlagSet, verb string) (lessons.Lesson, error) {
	if fs.NArg() != 1 {
		return lessons.Lesson{}, usageError(fmt.Sprintf(
			"%s needs one lesson number, such as: %s %s 2", verb, self(), verb))
	}
	all, err := lessons.All()
	if err != nil {
		return lessons.Lesson{}, err
	}
	l, err := lessons.Find(all, fs.Arg(0))
	if errors.Is(err, lessons.ErrNoLesson) {
		return lessons.Lesson{}, usageError(fmt.Sprintf(
			"no lesson %q (try a number from 1 to %d)", fs.Arg(0), len(all)))
	}
	if err != nil {
		return lessons.Lesson{}, err
	}
	return l, nil
}
