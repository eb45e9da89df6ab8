package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"callbacklab/internal/learn"
	"callbacklab/lessons"
	"callbacklab/server"
	"callbacklab/server/workshop"
)

// workshopAddr is where "serve --workshop" listens unless --addr says otherwise: every
// interface, so the room can reach it.
const workshopAddr = "0.0.0.0:8080"

// workshopConfig holds the workshop flags of "callbacklab serve".
type workshopConfig struct {
	on    bool
	state string
}

// register adds the workshop flags to fs.
func (c *workshopConfig) register(fs *flag.FlagSet) {
	fs.BoolVar(&c.on, "workshop", false, "run a workshop: learners on your network share their "+
		"progress,\nand you follow it at /workshop (listens on "+workshopAddr+
		" unless --addr is given)")
	fs.StringVar(&c.state, "workshop-state", "", "the file that keeps the workshop's room "+
		"across restarts\n(default "+workshop.DefaultStatePath()+")")
}

// addrFlagSet reports whether --addr was given on the command line.
func addrFlagSet(fs *flag.FlagSet) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == "addr" })
	return set
}

// startWorkshop loads (or creates) the room, mounts the workshop on app, and prints how to
// join and how to open the instructor's page. The instructor pages' event streams end when
// ctx is done, so the server can shut down; call stop after the server has stopped, to save
// the room one last time.
func startWorkshop(ctx context.Context, cfg workshopConfig, app *server.Server, addr net.Addr,
	all []lessons.Lesson, stdout io.Writer, log *slog.Logger) (stop func() error, err error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	path := cfg.state
	if path == "" {
		path = workshop.DefaultStatePath()
	}
	room, fresh, err := workshop.Load(path, workshop.FromLessons(all), nil)
	if err != nil {
		return nil, err
	}
	// Write the room once before announcing it, so that a file callbacklab cannot write is
	// found now rather than at shutdown, with every learner's progress lost.
	if _, err := workshop.Save(path, room); err != nil {
		return nil, fmt.Errorf("workshop: cannot keep the room in %s (%v); choose a file "+
			"callbacklab can write with --workshop-state", path,
			strings.TrimPrefix(err.Error(), "workshop: saving the room: "))
	}
	saver := workshop.StartSaver(room, path, time.Second, func(err error) {
		if err != nil {
			log.Error("the workshop room could not be saved; retrying with pauses up to a "+
				"minute", "path", path, "err", err)
			return
		}
		log.Info("the workshop room is saved again", "path", path)
	})
	urls := workshop.JoinURLs(addr)
	h := workshop.NewHandler(workshop.Config{Room: room, Logger: log, JoinURLs: urls})
	app.Handle("/workshop", h)
	app.Handle("/workshop/*", h)
	context.AfterFunc(ctx, h.Close)

	code := room.Code()
	fmt.Fprintf(stdout, "\nWorkshop mode. Join code: %s\n", code)
	fmt.Fprintln(stdout, "Learners run, in their callbacklab folder:")
	for _, u := range urls {
		fmt.Fprintf(stdout, "  go run . watch --join %s --code %s --name \"Their name\"\n",
			u, code)
	}
	if tcp, ok := addr.(*net.TCPAddr); ok && tcp.IP.IsLoopback() {
		fmt.Fprintln(stdout, "Note: callbacklab listens on this machine only, so only this "+
			"machine can join.\n  Use --addr 0.0.0.0:8080 to let the room in.")
	}
	local := strings.TrimSuffix(urlOf(addr), "/")
	fmt.Fprintf(stdout, "Your page (keep this link to yourself: it holds the instructor token):\n"+
		"  %s/workshop?token=%s\n", local, room.InstructorToken())
	if fresh {
		fmt.Fprintf(stdout, "A new room is kept in %s.\n", path)
	} else {
		fmt.Fprintf(stdout, "The room from %s is back: same code, same learners.\n", path)
	}
	fmt.Fprintln(stdout, "Delete that file (with callbacklab stopped) to start a new room.")
	return saver.Close, nil
}

// joinConfig holds the flags with which "check" and "watch" join a workshop.
type joinConfig struct {
	url, code, name string
}

// register adds the join flags to fs.
func (c *joinConfig) register(fs *flag.FlagSet) {
	fs.StringVar(&c.url, "join", "", "share your progress with a workshop's instructor at this "+
		"address,\nsuch as http://192.168.1.20:8080 (only lesson states and failing test names)")
	fs.StringVar(&c.code, "code", "", "the workshop's join code, from the instructor's screen")
	fs.StringVar(&c.name, "name", "", "your name as the instructor will see it")
}

// reporter checks the join flags and returns the workshop reporter, or nil when --join was
// not given.
func (c joinConfig) reporter(stderr io.Writer) (*workshop.Reporter, error) {
	if c.url == "" {
		if c.code != "" || c.name != "" {
			return nil, usageError("--code and --name are for joining a workshop: add --join " +
				"with the address the instructor shows")
		}
		return nil, nil
	}
	if c.code == "" || c.name == "" {
		return nil, usageError("joining a workshop needs --code and --name too, such as: " +
			"--join " + c.url + " --code ABC123 --name Ada")
	}
	rep, err := workshop.NewReporter(c.url, c.code, c.name, nil, workshop.WithLog(stderr))
	if err != nil {
		return nil, usageError(strings.TrimPrefix(err.Error(), "workshop: "))
	}
	return rep, nil
}

// joinWorkshop joins with rep. A refusal (a wrong code, a bad name) stops the command; an
// instructor's server that cannot be reached does not, since the reporter keeps trying.
func joinWorkshop(ctx context.Context, rep *workshop.Reporter, stderr io.Writer) error {
	joinCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	err := rep.Join(joinCtx)
	var se *workshop.ServerError
	if errors.As(err, &se) && se.Code != http.StatusTooManyRequests && se.Code < 500 {
		return fmt.Errorf("could not join the workshop: %s", se.Msg)
	}
	if err != nil {
		fmt.Fprintf(stderr, "workshop: cannot reach the instructor's server yet (%v); "+
			"your status will be sent when it answers.\n", err)
	}
	return nil
}

// shareProgress sends every change of tracker's progress to the workshop until ctx is done.
// It never blocks the tests: the reporter keeps only the latest status.
func shareProgress(ctx context.Context, rep *workshop.Reporter, tracker *learn.Tracker) {
	ch, unsubscribe := tracker.Subscribe()
	context.AfterFunc(ctx, unsubscribe)
	go func() { _ = rep.Run(ctx) }()
	go func() {
		for p := range ch {
			rep.Report(workshop.StatusFromProgress(p))
		}
	}()
}

// sendProgressOnce sends p to the workshop and waits, briefly, for the answer: for check.
func sendProgressOnce(ctx context.Context, rep *workshop.Reporter, p learn.Progress,
	stderr io.Writer) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := rep.Send(ctx, workshop.StatusFromProgress(p)); err != nil {
		fmt.Fprintf(stderr, "workshop: your status could not be shared this time: %v\n", err)
	}
}

// workshopFooter is what watch shows under its report while sharing with a workshop: with
// whom, what, and what the instructor has unlocked for everyone.
func workshopFooter(rep *workshop.Reporter) string {
	s := fmt.Sprintf("Sharing with the workshop as %q: lesson states and failing test names "+
		"only.", rep.Name())
	u := rep.Unlocked()
	var open []string
	keys := slices.Collect(maps.Keys(u))
	slices.SortFunc(keys, func(a, b string) int {
		x, _ := strconv.Atoi(a)
		y, _ := strconv.Atoi(b)
		return x - y
	})
	for _, k := range keys {
		switch x := u[k]; {
		case x.Solution:
			open = append(open, fmt.Sprintf("lesson %s: solution (callbacklab solution %s)", k, k))
		case x.Hints == 1:
			open = append(open, fmt.Sprintf("lesson %s: hint 1 (callbacklab hint %s)", k, k))
		case x.Hints > 1:
			open = append(open, fmt.Sprintf("lesson %s: hints 1 to %d (callbacklab hint %s)",
				k, x.Hints, k))
		}
	}
	if len(open) > 0 {
		s += "\nThe instructor unlocked for everyone: " + strings.Join(open, "; ") + "."
	}
	return s
}
