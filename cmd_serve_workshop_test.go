package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"callbacklab/content"
	"callbacklab/lessons"
	"callbacklab/server"
	"callbacklab/server/workshop"
)

func TestJoinFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantNil bool   // no workshop: no reporter and no error
		wantErr string // a usage error containing this
	}{
		{name: "none", args: nil, wantNil: true},
		{name: "all", args: []string{"--join", "http://192.0.2.7:8080", "--code", "ABC234",
			"--name", "Ada"}},
		{name: "codeWithoutJoin", args: []string{"--code", "ABC234"},
			wantErr: "--code and --name are for joining a workshop"},
		{name: "joinWithoutName", args: []string{"--join", "http://192.0.2.7:8080", "--code", "X"},
			wantErr: "needs --code and --name too"},
		{name: "badURL", args: []string{"--join", "192.0.2.7", "--code", "X", "--name", "Ada"},
			wantErr: "is not an http:// URL"},
		{name: "badName", args: []string{"--join", "http://h:1", "--code", "X",
			"--name", "a\u202Eb"}, wantErr: "U+202E"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c joinConfig
			fs := flag.NewFlagSet("check", flag.ContinueOnError)
			c.register(fs)
			require.NoError(t, fs.Parse(tt.args))
			rep, err := c.reporter(io.Discard)
			if tt.wantErr != "" {
				var usage usageError
				require.ErrorAs(t, err, &usage, "a bad flag is a usage error (exit status 2)")
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantNil, rep == nil, "a reporter exactly when --join is given")
		})
	}
}

// TestStartWorkshop mounts the workshop on the real web app and checks what the instructor
// is told, then that a learner can join with it and the room is kept on disk.
func TestStartWorkshop(t *testing.T) {
	all, err := lessons.All()
	require.NoError(t, err)
	app, err := server.New(server.Config{Article: content.Article(), Lessons: all})
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	state := filepath.Join(t.TempDir(), "room.json")

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var out bytes.Buffer
	stop, err := startWorkshop(ctx, workshopConfig{on: true, state: state}, app, ln.Addr(), all,
		&out, nil)
	require.NoError(t, err)
	srv := &http.Server{Handler: app}
	go srv.Serve(ln)
	defer srv.Close()

	printed := out.String()
	code := regexp.MustCompile(`Join code: ([A-Z0-9]{6})`).FindStringSubmatch(printed)
	require.NotNil(t, code, "the join code is printed: %s", printed)
	assert.Contains(t, printed, "go run . watch --join http://"+ln.Addr().String()+
		" --code "+code[1], "the join command is printed")
	assert.Contains(t, printed, "only this machine can join", "loopback is pointed out")
	link := regexp.MustCompile(`http://\S+/workshop\?token=\S+`).FindString(printed)
	require.NotEmpty(t, link, "the instructor's link is printed")

	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	res, err := (&http.Client{Jar: jar}).Get(link)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode, "the instructor's link opens the page")

	rep, err := workshop.NewReporter("http://"+ln.Addr().String(), code[1], "Ada", nil,
		workshop.WithCredentialsFile(""))
	require.NoError(t, err)
	require.NoError(t, rep.Join(ctx), "a learner joins with the printed code")

	cancel()
	require.NoError(t, stop(), "the room is saved on stop")
	room, fresh, err := workshop.Load(state, workshop.FromLessons(all), nil)
	require.NoError(t, err)
	assert.False(t, fresh)
	assert.Len(t, room.View().Learners, 1, "the learner is in the saved room")
}

func TestWorkshopFooter(t *testing.T) {
	room := workshop.NewRoom([]workshop.Lesson{{Number: 2, Hints: 3}, {Number: 10, Hints: 3}}, nil)
	h := workshop.NewHandler(workshop.Config{Room: room})
	defer h.Close()
	srv := httptest.NewServer(h)
	defer srv.Close()
	rep, err := workshop.NewReporter(srv.URL, room.Code(), "Ada", srv.Client(),
		workshop.WithCredentialsFile(""))
	require.NoError(t, err)
	require.NoError(t, rep.Join(t.Context()))
	assert.Equal(t, `Sharing with the workshop as "Ada": lesson states and failing test names `+
		`only.`, workshopFooter(rep), "the footer says what is shared")

	for _, u := range []struct {
		n    int
		what string
	}{{10, "solution"}, {2, "hint"}, {2, "hint"}} {
		_, err := room.Unlock(u.n, u.what)
		require.NoError(t, err)
	}
	require.NoError(t, rep.Send(t.Context(), workshop.Status{}))
	assert.Contains(t, workshopFooter(rep), "The instructor unlocked for everyone: "+
		"lesson 2: hints 1 to 2 (callbacklab hint 2); "+
		"lesson 10: solution (callbacklab solution 10).", "unlocks are listed in lesson order")
}

// TestServeWorkshopEndToEnd runs "callbacklab serve --workshop" as a person does, joins as a
// learner with what it printed, and stops it: the room is saved.
func TestServeWorkshopEndToEnd(t *testing.T) {
	state := filepath.Join(t.TempDir(), "room.json")
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	out, outW := io.Pipe()
	var stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--workshop", "--addr", "127.0.0.1:0",
			"--idp-addr", "127.0.0.1:0", "--booking-addr", "127.0.0.1:0",
			"--workshop-state", state}, nil, outW, &stderr)
		outW.Close()
	}()

	// Read up to "Press Ctrl-C", which comes after the workshop's lines.
	var printed strings.Builder
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		printed.WriteString(sc.Text() + "\n")
		if strings.HasPrefix(sc.Text(), "Press Ctrl-C") {
			break
		}
	}
	go io.Copy(io.Discard, out)
	code := regexp.MustCompile(`Join code: ([A-Z0-9]{6})`).FindStringSubmatch(printed.String())
	require.NotNil(t, code, "the join code is printed: %s\n%s", printed.String(), stderr.String())
	join := regexp.MustCompile(`--join (http://\S+)`).FindStringSubmatch(printed.String())
	require.NotNil(t, join, "the join command is printed")

	rep, err := workshop.NewReporter(join[1], code[1], "Ada", nil,
		workshop.WithCredentialsFile(""))
	require.NoError(t, err)
	require.NoError(t, rep.Join(ctx), "a learner joins with what serve printed")

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err, "serve stops cleanly")
	case <-time.After(10 * time.Second):
		t.Fatal("serve --workshop did not stop within 10s of being interrupted")
	}
	room, fresh, err := workshop.Load(state, nil, nil)
	require.NoError(t, err)
	assert.False(t, fresh, "the room was saved")
	assert.Len(t, room.View().Learners, 1, "the learner is in the saved room")
}

// TestServeWorkshopRefusesAStateFileItCannotWrite checks that a room file callbacklab cannot
// write stops serve at once, with what to do, and before the playground is announced.
func TestServeWorkshopRefusesAStateFileItCannotWrite(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("needs /proc, where no folder can be made, to be unwritable even for root")
	}
	// Reading finds no file (a new room), but the folder cannot be made: writing fails.
	state := "/proc/self/callbacklab-test/room.json"
	// Bounded: were the start-up check missing, serve would run until this ends.
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	err := run(ctx, []string{"serve", "--workshop", "--addr", "127.0.0.1:0",
		"--idp-addr", "127.0.0.1:0", "--booking-addr", "127.0.0.1:0",
		"--workshop-state", state}, nil, &stdout, &stderr)
	require.Error(t, err, "serve must not run a room it cannot keep")
	assert.Contains(t, err.Error(), state, "the message names the file")
	assert.Contains(t, err.Error(), "--workshop-state", "the message says how to choose another")
	assert.NotContains(t, stdout.String(), "serving the playground",
		"nothing is announced before the workshop failed")
	assert.NotContains(t, stdout.String(), "is back", "no room is announced")
}

// TestServeWorkshopRefusesADamagedRoomBeforeAnnouncing checks the order of start-up: a room
// file that cannot be loaded stops serve before it says it is serving.
func TestServeWorkshopRefusesADamagedRoomBeforeAnnouncing(t *testing.T) {
	state := filepath.Join(t.TempDir(), "room.json")
	require.NoError(t, os.WriteFile(state, []byte(`{"version":1,"code":"ABCDEF",`+
		`"instructorToken":"abcdefghijklmnopqrstuvwxyz","learners":{"deadbeef":null}}`), 0o600))
	// Bounded: were the start-up check missing, serve would run until this ends.
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	err := run(ctx, []string{"serve", "--workshop", "--addr", "127.0.0.1:0",
		"--idp-addr", "127.0.0.1:0", "--booking-addr", "127.0.0.1:0",
		"--workshop-state", state}, nil, &stdout, &stderr)
	require.Error(t, err, "a damaged room is refused, not a crash")
	assert.Contains(t, err.Error(), "is damaged")
	assert.NotContains(t, stdout.String(), "serving the playground",
		"nothing is announced before the workshop failed")
}

// TestJoinWorkshopSanitizesRefusals checks that a hostile server's refusal reaches the
// learner's terminal without its escape codes.
func TestJoinWorkshopSanitizesRefusals(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `{"error":"\u001b]0;PWNED\u0007\u001b[2Jgotcha"}`)
	}))
	defer srv.Close()
	rep, err := workshop.NewReporter(srv.URL, "ABCDEF", "Ada", srv.Client(),
		workshop.WithCredentialsFile(""))
	require.NoError(t, err)
	var stderr bytes.Buffer
	err = joinWorkshop(t.Context(), rep, &stderr)
	require.Error(t, err, "a 403 stops the command")
	assert.NotContains(t, err.Error(), "\x1b", "no escape code reaches the terminal")
	assert.NotContains(t, err.Error(), "\x07", "no bell either")
	assert.Contains(t, err.Error(), "gotcha", "the message is still shown")
}
