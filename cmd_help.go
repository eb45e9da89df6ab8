package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"text/tabwriter"
)

func runHelp(_ context.Context, _ []string, _ io.Reader, stdout, _ io.Writer) error {
	fmt.Fprint(stdout, "callbacklab is a playground for learning callback patterns in Go.\n\n")
	fmt.Fprint(stdout, "Usage:\n\n  callbacklab <command> [flags]\n\nCommands:\n\n")
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	for _, c := range commands() {
		fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.summary)
	}
	tw.Flush()
	fmt.Fprint(stdout, "\nRun 'callbacklab <command> -h' for the flags of one command.\n")
	return nil
}

func runVersion(_ context.Context, _ []string, _ io.Reader, stdout, _ io.Writer) error {
	v := "(devel)"
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		v = info.Main.Version
	}
	fmt.Fprintf(stdout, "callbacklab %s %s %s/%s\n",
		v, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return nil
}
