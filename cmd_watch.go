package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"callbacklab/internal/learn"
	"callbacklab/lessons"
)

// watchConfig holds the flags of "callbacklab watch".
type watchConfig struct {
	checkConfig
	poll     bool
	debounce time.Duration
}

// watchFlags returns the flag set of "callbacklab watch".
func watchFlags(stderr io.Writer) (*flag.FlagSet, *watchConfig) {
	cfg := &watchConfig{}
	fs := newFlagSet("watch", stderr, "[flags] [lesson...]",
		"Runs the tests of your lessons (the ones named by number first), then again each time\n"+
			"you save a lesson file, and shows your progress.\n"+
			"Keys: q quits, h shows the next hint, r runs every lesson again.")
	cfg.register(fs)
	cfg.join.register(fs)
	fs.BoolVar(&cfg.poll, "poll", false,
		"look for saves by checking the files regularly, for folders that send no change events\n"+
			"(Windows folders under WSL, network or container mounts)")
	fs.DurationVar(&cfg.debounce, "debounce", 150*time.Millisecond,
		"how long to wait after a save for more saves before running the tests")
	return fs, cfg
}

func runWatch(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs, cfg := watchFlags(stderr)
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
	var named []string // the lessons the learner named, run and shown first
	if fs.NArg() > 0 {
		if named, err = ws.pick(fs.Args()); err != nil {
			return usageError(err.Error())
		}
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
	if !cfg.poll && learn.NeedsPolling(ws.root) {
		cfg.poll = true
		fmt.Fprintln(stderr, "callbacklab: this folder is on a Windows drive under WSL, where "+
			"saves send no events; checking the files regularly instead (--poll)")
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	tracker := learn.NewTracker(ws.lessons)
	scr := &screen{w: stdout, color: !cfg.plain && learn.ColorEnabled(stdout, os.Getenv),
		tracker: tracker, only: named, watching: watchingLine(ws.lessons, named)}
	fmt.Fprintln(stdout, scr.watching)
	rerun := make(chan struct{}, 1)
	if rep != nil {
		shareProgress(ctx, rep, tracker)
		scr.extra = func() string { return workshopFooter(rep) }
	}

	// Keys: q, h and r, at once on a terminal, else as lines.
	keys, restore := readKeys(ctx, stdin)
	defer restore()
	go func() {
		for k := range keys {
			switch k {
			case 'q':
				cancel()
				return
			case 'h':
				scr.hint()
			case 'r':
				select {
				case rerun <- struct{}{}:
				default:
				}
			}
		}
	}()

	w := &learn.Watch{
		Runner: &learn.Runner{Root: ws.root, Tracker: tracker, Timeout: cfg.timeout,
			Command: self()},
		Files:    learn.FileWatch{Root: ws.root, Poll: cfg.poll, Debounce: cfg.debounce},
		Lessons:  ws.lessons,
		First:    named,
		OnStart:  scr.started,
		OnResult: scr.result,
	}
	return w.Run(ctx, rerun)
}

// screen draws watch's output; its methods are called from the watch and the key reader.
type screen struct {
	mu      sync.Mutex
	w       io.Writer
	color   bool
	tracker *learn.Tracker
	// extra, if set, returns lines to show under each report, such as the workshop's
	// footer.
	extra func() string
	// only are the folders of the lessons the learner named, which the report is about.
	only []string
	// watching says which lessons the watch runs first and that it watches them all.
	watching string
}

// watchingLine says what a watch of the named lesson folders (none: all lessons) does.
func watchingLine(all []learn.Lesson, named []string) string {
	if len(named) == 0 {
		return "Watching your lessons for saves."
	}
	var nums []string
	for _, l := range all {
		if containsDir(named, l.Dir) {
			nums = append(nums, strconv.Itoa(l.Number))
		}
	}
	what := "lesson " + nums[0]
	if len(nums) > 1 {
		what = "lessons " + strings.Join(nums[:len(nums)-1], ", ") + " and " + nums[len(nums)-1]
	}
	return "Watching " + what + " first; a save in any lesson runs that lesson again."
}

// started notes a new run.
func (s *screen) started(r learn.Run) {
	s.mu.Lock()
	defer s.mu.Unlock()
	what := "all lessons"
	if len(s.only) > 0 {
		what = "lessons/" + strings.Join(s.only, ", lessons/") + " first, then the others"
	}
	if len(r.Changed) > 0 {
		what = "lessons/" + strings.Join(r.Changed, ", lessons/")
	}
	if s.color {
		fmt.Fprintf(s.w, "\r\x1b[Krunning the tests of %s ...", what)
		return
	}
	fmt.Fprintf(s.w, "== %s running the tests of %s\n", time.Now().Format("15:04:05"), what)
}

// result redraws the progress once tests finished.
func (s *screen) result(r learn.Run, _ []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.color {
		fmt.Fprint(s.w, "\x1b[H\x1b[2J") // clear the screen
	}
	_ = learn.WriteReport(s.w, s.tracker.Progress(),
		learn.TermOptions{Color: s.color, Command: self(), Only: s.only})
	footer := "\n" + s.watching + " Keys: q quit, h hint, r run all again."
	if !r.SavedAt.IsZero() {
		footer += fmt.Sprintf("\nResult %.2fs after your save.",
			time.Since(r.SavedAt).Seconds())
	}
	if s.extra != nil {
		footer += "\n" + s.extra()
	}
	fmt.Fprintln(s.w, footer)
}

// hint shows the next hint of the lesson in focus.
func (s *screen) hint() {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.tracker.Progress().FocusAmong(s.only)
	if !ok {
		fmt.Fprintln(s.w, "\nEvery lesson passes: no hint needed.")
		return
	}
	all, err := lessons.All()
	if err == nil {
		var lesson lessons.Lesson
		if lesson, err = lessons.Find(all, l.Dir); err == nil {
			var store learn.HintStore
			if store, err = learn.DefaultHintStore(); err == nil {
				fmt.Fprintln(s.w)
				err = writeHint(s.w, store, lesson)
			}
		}
	}
	if err != nil {
		fmt.Fprintf(s.w, "\nNo hint available: %v\n", err)
	}
}

// readKeys sends the keys typed on stdin until ctx is done or stdin ends. On a terminal it
// reads single key presses, and restore puts the terminal back as it was; otherwise it takes
// the first letter of each line.
func readKeys(ctx context.Context, stdin io.Reader) (keys <-chan byte, restore func()) {
	out := make(chan byte)
	restore = func() {}
	if stdin == nil {
		return out, restore
	}
	single := false
	if f, ok := stdin.(*os.File); ok {
		restore, single = learn.KeyMode(f)
	}

	go func() {
		r := bufio.NewReader(stdin)
		for {
			var k byte
			if single {
				b, err := r.ReadByte()
				if err != nil {
					return
				}
				k = b
			} else {
				line, err := r.ReadString('\n')
				if line = strings.TrimSpace(line); line != "" {
					k = line[0]
				}
				if err != nil && k == 0 {
					return
				}
			}
			select {
			case out <- k | 0x20: // lower case
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, restore
}

// startLiveProgress looks for the learner's lessons folder from the current folder and, when
// it finds one, watches it in the background until ctx is done: the tests run once at once
// and again on every save. It returns the tracker to give the web app
// (server.Config.Progress), or nil when there is no lessons folder on disk.
func startLiveProgress(ctx context.Context, log *slog.Logger) *learn.Tracker {
	ws, err := openWorkspace("")
	if err != nil {
		log.Info("no lessons folder here: the progress page will say so", "err", err)
		return nil
	}
	tracker := learn.NewTracker(ws.lessons)
	w := &learn.Watch{
		Runner:  &learn.Runner{Root: ws.root, Tracker: tracker, Command: self()},
		Files:   learn.FileWatch{Root: ws.root, Poll: learn.NeedsPolling(ws.root)},
		Lessons: ws.lessons,
	}
	go func() {
		if err := w.Run(ctx, nil); err != nil {
			log.Warn("watching the lessons failed; the progress page will not update", "err", err)
		}
		<-ctx.Done()
		tracker.Close() // ends the pages' event streams, so the server can shut down
	}()
	log.Info("watching your lessons for the progress page", "folder", ws.root)
	return tracker
}
