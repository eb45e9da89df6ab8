// Command callbacklab is a playground for learning callback patterns in Go.
//
// Run it with no arguments to serve the playground on http://127.0.0.1:8080/, or with one of
// the commands that "callbacklab help" lists.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// command is one subcommand of callbacklab: it parses its own flags from args.
type command struct {
	run     func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error
	summary string
}

// commands lists every subcommand, in the order "callbacklab help" shows them.
func commands() []struct {
	name string
	command
} {
	return []struct {
		name string
		command
	}{
		{"serve", command{runServe, "serve the playground in your browser (the default)"}},
		{"check", command{runCheck, "run your lessons' tests and show your progress"}},
		{"watch", command{runWatch, "check your lessons again on every save"}},
		{"hint", command{runHint, "show the next hint of a lesson"}},
		{"reset", command{runReset, "restore a lesson's files as they were shipped"}},
		{"solution", command{runSolution, "show a lesson's reference solution once it passes"}},
		{"diagram", command{runDiagram, "draw a Mermaid sequence diagram as SVG"}},
		{"version", command{runVersion, "print the version"}},
		{"help", command{runHelp, "show this help"}},
	}
}

// run is the whole program: it picks a command from args and runs it.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	name := "serve"
	switch {
	case len(args) == 0:
	case args[0] == "-h" || args[0] == "-help" || args[0] == "--help":
		name = "help"
	case args[0] != "" && args[0][0] != '-':
		name, args = args[0], args[1:]
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(ctx, args, stdin, stdout, stderr)
		}
	}
	return usageError(fmt.Sprintf(
		"unknown command %q; run 'callbacklab help' to see the commands", name))
}

// self returns how the learner runs callbacklab, for the commands that messages suggest:
// "go run ." when the binary is one that go run built in a temporary folder, and
// "callbacklab" otherwise.
func self() string {
	exe, err := os.Executable()
	if err == nil && strings.Contains(filepath.ToSlash(exe), "/go-build") {
		return "go run ."
	}
	return "callbacklab"
}

// usageError is an error in how the command was called. It exits with status 2.
type usageError string

func (e usageError) Error() string { return string(e) }

// errFailed reports a failure that the command has already explained on its output, such as
// failing lessons or a bad diagram. It exits with status 1 and prints nothing more.
var errFailed = errors.New("failed")

// exitCode prints err, if it has anything left to say, and returns the process exit status.
func exitCode(err error, stderr io.Writer) int {
	var usage usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errFailed):
		return 1
	case errors.As(err, &usage):
		fmt.Fprintln(stderr, "callbacklab:", err)
		return 2
	default:
		fmt.Fprintln(stderr, "callbacklab:", err)
		return 1
	}
}
