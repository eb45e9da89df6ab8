package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"callbacklab/internal/learn"
	"callbacklab/lessons"
)

// hintConfig holds the flags of "callbacklab hint".
type hintConfig struct {
	again bool
}

// hintFlags returns the flag set of "callbacklab hint".
func hintFlags(stderr io.Writer) (*flag.FlagSet, *hintConfig) {
	cfg := &hintConfig{}
	fs := newFlagSet("hint", stderr, "[flags] N",
		"Shows the next hint of lesson N, one tier at a time, from gentle to nearly the answer.\n"+
			"callbacklab remembers which hints you have seen in your cache folder, not in the lessons.")
	fs.BoolVar(&cfg.again, "again", false, "start lesson N's hints again from the first")
	return fs, cfg
}

func runHint(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs, cfg := hintFlags(stderr)
	if done, err := parseFlags(fs, args); done {
		return err
	}
	l, err := lessonArg(fs, "hint")
	if err != nil {
		return err
	}
	store, err := learn.DefaultHintStore()
	if err != nil {
		return err
	}
	if cfg.again {
		if err := store.Forget(hintKey(l)); err != nil {
			return err
		}
	}
	return writeHint(stdout, store, l)
}

// hintKey names lesson l in the hint record: by its folder in the callbacklab copy the
// learner works in, so a second clone on the same machine starts again at the first hint.
func hintKey(l lessons.Lesson) string {
	root, err := learn.FindRoot(".")
	if err != nil {
		return l.Dir
	}
	return filepath.Join(root, "lessons", l.Dir)
}

// writeHint shows the next hint of lesson l; watch uses it too.
func writeHint(w io.Writer, store learn.HintStore, l lessons.Lesson) error {
	h, err := store.Next(hintKey(l), l.Hints)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Lesson %d, %s: hint %d of %d\n\n", l.Number, learn.ShortTitle(l.Title),
		h.Tier, h.Total)
	for line := range strings.SplitSeq(h.Text, "\n") {
		fmt.Fprintf(w, "  %s\n", line)
	}
	fmt.Fprintln(w)
	switch {
	case h.Repeat:
		fmt.Fprintf(w, "That was the last hint. The lesson page (lessons/%s/README.md) explains\n"+
			"the idea; once the lesson passes, `"+self()+" solution %d` shows the reference.\n",
			l.Dir, l.Number)
	case h.Tier < h.Total:
		fmt.Fprintf(w, "Still stuck? `%s hint %d` again shows the next one.\n", self(), l.Number)
	default:
		fmt.Fprintln(w, "That was the last hint, the one closest to the answer.")
	}
	return nil
}
