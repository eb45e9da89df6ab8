package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunDiagram(t *testing.T) {
	file := filepath.Join(t.TempDir(), "flow.mmd")
	require.NoError(t, os.WriteFile(file, []byte("sequenceDiagram\nA->>B: from a file"), 0o644),
		"writing the input file")
	tests := []struct {
		name       string
		args       []string
		stdin      string
		wantStdout string
		wantStderr string
		wantErr    error
	}{
		{name: "StandardInput", stdin: "sequenceDiagram\nA->>B: hi", wantStdout: ">hi</text>"},
		{name: "File", args: []string{file}, wantStdout: ">from a file</text>"},
		{name: "Dash", args: []string{"-"}, stdin: "sequenceDiagram\nA->>B: dash",
			wantStdout: ">dash</text>"},
		{name: "BadDiagram", stdin: "sequenceDiagram\nA->>B hi", wantErr: errFailed,
			wantStderr: "2:9: expected ':' and the message text after \"B hi\"\n    A->>B hi\n" +
				"            ^\n"},
		{name: "Help", args: []string{"-h"}, wantStdout: "Usage: callbacklab diagram [FILE]\n"},
		{name: "TooManyMessages", stdin: "sequenceDiagram\n" + strings.Repeat("A->>B: m\n", 10_001),
			wantErr: errFailed, wantStderr: "10002:1: too many messages: a diagram holds at most " +
				"10000; split it into several diagrams\n    A->>B: m\n    ^\n"},
		{name: "HugeAutonumber", stdin: "sequenceDiagram\nautonumber 1000000000 1000000000\n" +
			"A->>B: m", wantErr: errFailed, wantStderr: "2:12: expected off or a whole number " +
			"from 0 to 999999 after autonumber, found \"1000000000\"\n" +
			"    autonumber 1000000000 1000000000\n               ^\n"},
		{name: "TwoFiles", args: []string{"a", "b"},
			wantErr: usageError("diagram takes at most one FILE; run 'callbacklab diagram -h'")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := runDiagram(context.Background(), tt.args, strings.NewReader(tt.stdin),
				&stdout, &stderr)
			if tt.wantErr != nil {
				assert.True(t, errors.Is(err, tt.wantErr) || err == tt.wantErr,
					"want error %v, got %v", tt.wantErr, err)
				assert.Equal(t, tt.wantStderr, stderr.String(), "what the user reads on stderr")
				assert.Empty(t, stdout.String(), "no SVG for a failure")
				return
			}
			require.NoError(t, err, "stderr: %s", stderr.String())
			assert.Contains(t, stdout.String(), tt.wantStdout, "what stdout should hold")
			if tt.name != "Help" {
				assert.True(t, strings.HasPrefix(stdout.String(), "<svg "), "stdout is one SVG")
			}
		})
	}
}

func TestRunDiagramExitCode(t *testing.T) {
	var stderr bytes.Buffer
	err := run(context.Background(), []string{"diagram"}, strings.NewReader("nonsense"),
		&bytes.Buffer{}, &stderr)
	assert.Equal(t, 1, exitCode(err, &stderr), "a bad diagram exits with status 1")
	assert.Equal(t, "1:1: expected sequenceDiagram on the first line, found \"nonsense\"\n"+
		"    nonsense\n    ^\n", stderr.String(), "the error alone, nothing more")
}

// TestRunDiagramUnknownFlag checks that a mistaken flag is reported once, on
// one line, with the way to get help.
func TestRunDiagramUnknownFlag(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"diagram", "--foo"}, strings.NewReader(""),
		&stdout, &stderr)
	assert.Equal(t, 2, exitCode(err, &stderr), "a usage mistake exits with status 2")
	assert.Equal(t, "callbacklab: diagram: flag provided but not defined: -foo; "+
		"run 'callbacklab diagram -h' for usage\n", stderr.String(),
		"the error should be printed once, with no usage text around it")
	assert.Empty(t, stdout.String(), "nothing on stdout for a usage mistake")
}

// TestRunDiagramTooLarge draws a diagram within the parser's limits whose SVG
// would pass 8 MiB: 16,000 statements of 50 lines each. It must fail with one
// clear line, and write no SVG at all.
func TestRunDiagramTooLarge(t *testing.T) {
	var src strings.Builder
	src.WriteString("sequenceDiagram\n")
	fifty := strings.Repeat("a<br>", 49) + "a"
	for range 8000 {
		src.WriteString("A->>B: " + fifty + "\nNote over A,B: " + fifty + "\n")
	}
	require.Less(t, src.Len(), maxDiagramInput, "the input must fit the command's input limit")

	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"diagram"}, strings.NewReader(src.String()),
		&stdout, &stderr)
	assert.Equal(t, 1, exitCode(err, &stderr), "a drawing over the limit exits with status 1")
	assert.Equal(t, "callbacklab: diagram: the drawing would be larger than 8 MiB of SVG; "+
		"split the diagram into several smaller ones\n", stderr.String(),
		"the error should say what the limit is, once")
	assert.Empty(t, stdout.String(), "no SVG, not even a truncated one")
}
