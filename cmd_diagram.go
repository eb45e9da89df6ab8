package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"callbacklab/server/diagram"
)

// maxDiagramInput bounds what "callbacklab diagram" reads, so a mistaken
// pipe cannot fill the memory.
const maxDiagramInput = 4 << 20

// diagramUsage is what "callbacklab diagram -h" prints.
const diagramUsage = "Usage: callbacklab diagram [FILE]\n\n" +
	"Reads a Mermaid sequenceDiagram from FILE (or standard input when FILE is\n" +
	"missing or -) and writes it as SVG to standard output. A diagram holds at\n" +
	"most 10,000 messages and 500 participants, and its SVG at most 8 MiB.\n"

// runDiagram reads Mermaid sequenceDiagram text from a file or standard input
// and writes it as SVG to standard output. A bad diagram is reported on stderr
// as "line:col: message" with the line quoted, and exits with status 1.
func runDiagram(_ context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	// The flag package would print its error and the usage text itself, and
	// then the caller would print the error again: keep it quiet and report
	// the mistake once, as a usage error.
	fs := flag.NewFlagSet("diagram", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, diagramUsage)
			return nil
		}
		return usageError("diagram: " + err.Error() + "; run 'callbacklab diagram -h' for usage")
	}
	if fs.NArg() > 1 {
		return usageError("diagram takes at most one FILE; run 'callbacklab diagram -h'")
	}

	// Read the text.
	name, in := "standard input", stdin
	if path := fs.Arg(0); path != "" && path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("diagram: %w", err)
		}
		defer f.Close()
		name, in = path, f
	}
	src, err := io.ReadAll(io.LimitReader(in, maxDiagramInput+1))
	if err != nil {
		return fmt.Errorf("diagram: reading %s: %w", name, err)
	}
	if len(src) > maxDiagramInput {
		return fmt.Errorf("diagram: %s is larger than %d MiB", name, maxDiagramInput>>20)
	}

	// Draw it, or explain what is wrong.
	svg, err := diagram.RenderSVG(src)
	if pe, ok := diagram.AsParseError(err); ok {
		fmt.Fprintln(stderr, pe.Quote())
		return errFailed
	}
	if errors.Is(err, diagram.ErrTooLarge) {
		return err // it names its package already
	}
	if err != nil {
		return fmt.Errorf("diagram: %w", err)
	}
	_, err = stdout.Write(svg)
	return err
}
