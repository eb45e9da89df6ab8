package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"strings"
	"time"

	"callbacklab/internal/learn"
)

// resetConfig holds the flags of "callbacklab reset".
type resetConfig struct {
	dir string
	yes bool
}

// resetFlags returns the flag set of "callbacklab reset".
func resetFlags(stderr io.Writer) (*flag.FlagSet, *resetConfig) {
	cfg := &resetConfig{}
	fs := newFlagSet("reset", stderr, "[flags] N",
		"Restores the files of lesson N as they were shipped, after asking, and keeps a copy\n"+
			"of your files in your cache folder. Files you added yourself are left alone.")
	fs.StringVar(&cfg.dir, "dir", "",
		"your callbacklab folder (default: found from the current folder)")
	fs.BoolVar(&cfg.yes, "yes", false, "do not ask for confirmation")
	return fs, cfg
}

func runReset(_ context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs, cfg := resetFlags(stderr)
	if done, err := parseFlags(fs, args); done {
		return err
	}
	l, err := lessonArg(fs, "reset")
	if err != nil {
		return err
	}
	ws, err := openWorkspace(cfg.dir)
	if err != nil {
		return err
	}

	// Compare the learner's files with the shipped ones.
	original := maps.Clone(l.Exercise)
	maps.Copy(original, l.Tests)
	lessonPath := filepath.Join(ws.root, "lessons", l.Dir)
	plan, err := learn.PlanReset(lessonPath, original)
	if err != nil {
		return err
	}
	if len(plan.Changed) == 0 {
		fmt.Fprintf(stdout, "Lesson %d is already as it was shipped; there is nothing to reset.\n",
			l.Number)
		return nil
	}
	backupRoot, err := learn.DefaultBackupRoot()
	if err != nil {
		return err
	}

	// Ask.
	fmt.Fprintf(stdout, "This restores %s in lessons/%s to the original.\n",
		strings.Join(plan.Changed, ", "), l.Dir)
	fmt.Fprintf(stdout, "Your current files are copied to %s first.\n", backupRoot)
	if !cfg.yes && !confirm(stdin, stdout, "Reset lesson "+fmt.Sprint(l.Number)+"? [y/N] ") {
		fmt.Fprintln(stdout, "Nothing was changed.")
		return nil
	}

	backup, err := plan.Apply(backupRoot, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Lesson %d is reset. Your previous files are in %s\n", l.Number, backup)
	if len(plan.Extra) > 0 {
		fmt.Fprintf(stdout, "Files you added were left as they are: %s\n",
			strings.Join(plan.Extra, ", "))
	}
	return nil
}

// confirm asks question and reports whether the answer was yes. No answer (end of input) is
// no.
func confirm(stdin io.Reader, stdout io.Writer, question string) bool {
	fmt.Fprint(stdout, question)
	if stdin == nil {
		fmt.Fprintln(stdout)
		return false
	}
	line, _ := bufio.NewReader(stdin).ReadString('\n')
	answer := strings.ToLower(strings.TrimSpace(line))
	return answer == "y" || answer == "yes"
}
