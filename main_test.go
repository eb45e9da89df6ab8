package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestServeStartsAndStops runs the real program: serve on a free loopback port, fetch the home
// page, then cancel, as Ctrl-C does, and expect a clean shutdown.
func TestServeStartsAndStops(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	out, outW := io.Pipe()
	var stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0",
			"--idp-addr", "127.0.0.1:0", "--booking-addr", "127.0.0.1:0"}, nil, outW, &stderr)
		outW.Close()
	}()

	// The first line names the URL to open.
	line, err := bufio.NewReader(out).ReadString('\n')
	require.NoError(t, err, "serve must print the URL to open; stderr: %s", stderr.String())
	i := strings.Index(line, "http://127.0.0.1:")
	require.GreaterOrEqual(t, i, 0, "serve must print a loopback URL, printed %q", line)
	url := strings.TrimSpace(line[i:])
	go io.Copy(io.Discard, out)

	for _, path := range []string{"", "article/", "lessons/", "sim", "diagrams", "travel"} {
		res, err := http.Get(url + path)
		require.NoError(t, err, "the printed URL must answer")
		res.Body.Close()
		assert.Equal(t, http.StatusOK, res.StatusCode, "GET %s", url+path)
	}
	assert.NotContains(t, stderr.String(), "WARNING", "no exposure warning on loopback")

	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err, "serve must shut down cleanly when interrupted")
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop within 10s of being interrupted")
	}
}

func TestCommands(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{name: "Help", args: []string{"help"}, wantCode: 0, wantStdout: "serve"},
		{name: "Version", args: []string{"version"}, wantCode: 0, wantStdout: "callbacklab "},
		{name: "DashHelp", args: []string{"--help"}, wantCode: 0, wantStdout: "Commands:"},
		{name: "DashH", args: []string{"-h"}, wantCode: 0, wantStdout: "Commands:"},
		{name: "ServeMissingPort", args: []string{"serve", "--addr", "18185"}, wantCode: 1,
			wantStderr: "cannot listen on 18185: listen tcp: address 18185: missing port in address"},
		{name: "ServeSamePortTwice", args: []string{"serve", "--addr", "127.0.0.1:18186",
			"--idp-addr", "127.0.0.1:18186"}, wantCode: 2,
			wantStderr: "--addr and --idp-addr are both 127.0.0.1:18186"},
		{name: "UnknownCommand", args: []string{"frobnicate"}, wantCode: 2,
			wantStderr: `unknown command "frobnicate"; run 'callbacklab help'`},
		{name: "ServeBadFlag", args: []string{"serve", "--nope"}, wantCode: 2,
			wantStderr: "flag provided but not defined"},
		{name: "ServeBadAddress", args: []string{"serve", "--addr", "256.0.0.1:1"}, wantCode: 1,
			wantStderr: "cannot listen on 256.0.0.1:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(t.Context(), tt.args, nil, &stdout, &stderr)
			code := exitCode(err, &stderr)
			assert.Equal(t, tt.wantCode, code, "exit code of callbacklab %q", tt.args)
			assert.Contains(t, stdout.String(), tt.wantStdout, "stdout of callbacklab %q", tt.args)
			assert.Contains(t, stderr.String(), tt.wantStderr, "stderr of callbacklab %q", tt.args)
		})
	}
}

func TestParseFlags(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantArgs []string
		wantOn   bool
		reason   string
	}{
		{name: "FlagFirst", args: []string{"-again", "1"}, wantArgs: []string{"1"}, wantOn: true,
			reason: "flags before the argument"},
		{name: "FlagAfter", args: []string{"1", "-again"}, wantArgs: []string{"1"}, wantOn: true,
			reason: "learners type flags after the lesson number too"},
		{name: "DoubleDash", args: []string{"--", "-again"}, wantArgs: []string{"-again"},
			reason: "after -- everything is an argument"},
		{name: "TwoArgs", args: []string{"1", "-again", "2"}, wantArgs: []string{"1", "2"},
			wantOn: true, reason: "arguments keep their order around flags"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := flag.NewFlagSet("t", flag.ContinueOnError)
			on := fs.Bool("again", false, "")
			done, err := parseFlags(fs, tt.args)
			require.NoError(t, err)
			assert.False(t, done)
			assert.Equal(t, tt.wantArgs, fs.Args(), tt.reason)
			assert.Equal(t, tt.wantOn, *on, tt.reason)
		})
	}
}
