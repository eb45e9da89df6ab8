package workshop

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// memTransport sends requests to a handler in memory. It can be switched off, like a
// server that is down, and its handler can be swapped, like a server that restarted.
type memTransport struct {
	mu   sync.Mutex
	h    http.Handler
	down atomic.Bool
}

func (m *memTransport) set(h http.Handler) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.h = h
}

func (m *memTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if m.down.Load() {
		return nil, errors.New("connect: connection refused")
	}
	m.mu.Lock()
	h := m.h
	m.mu.Unlock()
	r.RemoteAddr = "192.0.2.10:50000"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Result(), nil
}

// syncBuffer is a bytes.Buffer safe for the reporter's goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newTestReporter(t *testing.T, tr http.RoundTripper, code, name, creds string,
	log *syncBuffer) *Reporter {
	t.Helper()
	r, err := NewReporter("http://192.0.2.1:8080/workshop/", code, name,
		&http.Client{Transport: tr}, WithLog(log), WithCredentialsFile(creds))
	require.NoError(t, err)
	return r
}

func TestNewReporterRefusesBadArguments(t *testing.T) {
	tests := []struct{ name, url, code, person, want string }{
		{"notHTTP", "ftp://host", "ABCDEF", "Ada", "is not an http:// URL"},
		{"noHost", "http://", "ABCDEF", "Ada", "is not an http:// URL"},
		{"query", "http://host:8080/?x=1", "ABCDEF", "Ada", "only http://HOST:PORT"},
		{"noCode", "http://host:8080", " ", "Ada", "a join code is required"},
		{"badName", "http://host:8080", "ABCDEF", "Eve\u202E", "U+202E"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewReporter(tt.url, tt.code, tt.person, nil)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestReporterJoinSendAndKeepCredentials(t *testing.T) {
	h, room := newTestHandler(t, Config{})
	tr := &memTransport{h: h}
	creds := filepath.Join(t.TempDir(), "learner.json")
	var log syncBuffer
	rep := newTestReporter(t, tr, room.Code(), "Ada", creds, &log)

	require.NoError(t, rep.Join(t.Context()))
	out := log.String()
	assert.Contains(t, out, "the name of the first failing test", "the learner is told what is shared")
	assert.Contains(t, out, "Never shared: your code, file paths, test output")
	assert.Contains(t, out, `joined as "Ada"`)

	require.NoError(t, rep.Send(t.Context(), Status{Lessons: []LessonStatus{
		{Lesson: 1, State: StateFailing, FirstFailing: "TestGreet"}}}))
	v := room.View()
	require.Len(t, v.Learners, 1)
	assert.Equal(t, "TestGreet", v.Learners[0].Cells[0].FirstFailing, "the status arrived")

	// A later command, such as another "callbacklab check", reports as the same person.
	var log2 syncBuffer
	again := newTestReporter(t, tr, room.Code(), "Ada", creds, &log2)
	require.NoError(t, again.Join(t.Context()))
	require.NoError(t, again.Send(t.Context(), Status{Lessons: []LessonStatus{
		{Lesson: 1, State: StateDone}}}))
	v = room.View()
	require.Len(t, v.Learners, 1, "the kept token is used; no second Ada appears")
	assert.Equal(t, StateDone, v.Learners[0].Cells[0].State)
	assert.Contains(t, log2.String(), "as when you joined before")
}

func TestReporterWrongCode(t *testing.T) {
	h, _ := newTestHandler(t, Config{})
	var log syncBuffer
	rep := newTestReporter(t, &memTransport{h: h}, "WRONG1", "Ada", "", &log)
	err := rep.Join(t.Context())
	var se *ServerError
	require.ErrorAs(t, err, &se, "a wrong code is the server's refusal")
	assert.Equal(t, http.StatusForbidden, se.Code)
	assert.Contains(t, se.Msg, "check the code on the instructor's screen")
}

func TestReporterRejoinsWhenForgotten(t *testing.T) {
	h, room := newTestHandler(t, Config{})
	tr := &memTransport{h: h}
	var log syncBuffer
	rep := newTestReporter(t, tr, room.Code(), "Ada", "", &log)
	require.NoError(t, rep.Join(t.Context()))

	// The instructor's room file was lost: a new room, given the same code by hand.
	h2, room2 := newTestHandler(t, Config{})
	room2.st.Code = room.Code()
	tr.set(h2)
	require.NoError(t, rep.Send(t.Context(), Status{}), "the reporter joins again by itself")
	assert.Len(t, room2.View().Learners, 1, "the learner is in the new room")
}

func TestReporterStopsWhenRemoved(t *testing.T) {
	h, room := newTestHandler(t, Config{})
	creds := filepath.Join(t.TempDir(), "learner.json")
	var log syncBuffer
	rep := newTestReporter(t, &memTransport{h: h}, room.Code(), "Ada", creds, &log)
	require.NoError(t, rep.Join(t.Context()))
	require.FileExists(t, creds, "the token is kept after joining")
	require.True(t, room.Remove(room.View().Learners[0].ID))

	for range 2 {
		err := rep.Send(t.Context(), Status{})
		var se *ServerError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, http.StatusGone, se.Code, "a removed learner is told so")
		assert.Contains(t, se.Msg, "the instructor removed you from the workshop")
	}
	assert.Empty(t, room.View().Learners, "a removed learner does not join again by itself")
	assert.NoFileExists(t, creds, "the kept token is forgotten")
}

func TestReporterHearsUnlocks(t *testing.T) {
	h, room := newTestHandler(t, Config{})
	creds := filepath.Join(t.TempDir(), "learner.json")
	var log syncBuffer
	rep := newTestReporter(t, &memTransport{h: h}, room.Code(), "Ada", creds, &log)
	require.NoError(t, rep.Join(t.Context()))
	_, err := room.Unlock(2, "hint")
	require.NoError(t, err)
	_, err = room.Unlock(3, "solution")
	require.NoError(t, err)

	require.NoError(t, rep.Send(t.Context(), Status{}))
	want := Unlocks{"2": {Hints: 1}, "3": {Solution: true}}
	assert.Equal(t, want, rep.Unlocked(), "the report's answer carries the unlocks")
	assert.Equal(t, want, SavedUnlocks(creds), "the unlocks are kept for 'callbacklab hint'")
	assert.Contains(t, log.String(), "unlocked hint 1 of lesson 2 for everyone: "+
		"run 'callbacklab hint 2'")
	assert.Contains(t, log.String(), "unlocked the solution of lesson 3")
	assert.Empty(t, SavedUnlocks(filepath.Join(t.TempDir(), "none.json")),
		"no kept file means nothing unlocked")
}

// TestReporterSurvivesARestart runs the reporter's loop while the instructor's server goes
// away and comes back from its room file: the learner's status arrives without a new join.
func TestReporterSurvivesARestart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "workshop.json")
		room, _, err := Load(path, testLessons, nil)
		require.NoError(t, err)
		h := NewHandler(Config{Room: room})
		tr := &memTransport{h: h}
		var log syncBuffer
		rep := newTestReporter(t, tr, room.Code(), "Ada", "", &log)
		require.NoError(t, rep.Join(t.Context()))

		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() { done <- rep.Run(ctx) }()

		rep.Report(Status{Lessons: []LessonStatus{{Lesson: 1, State: StateFailing}}})
		synctest.Wait()
		require.Equal(t, StateFailing, room.View().Learners[0].Cells[0].State)

		// The server stops; its room is on disk.
		_, err = Save(path, room)
		require.NoError(t, err)
		h.Close()
		tr.down.Store(true)
		time.Sleep(3 * time.Second)
		rep.Report(Status{Lessons: []LessonStatus{{Lesson: 1, State: StateDone}}})
		time.Sleep(40 * time.Second) // the heartbeat and a few backoff pauses
		synctest.Wait()
		assert.Contains(t, log.String(), "cannot reach the instructor's server")

		// It starts again from the file.
		room2, fresh, err := Load(path, testLessons, nil)
		require.NoError(t, err)
		require.False(t, fresh)
		h2 := NewHandler(Config{Room: room2})
		defer h2.Close()
		tr.set(h2)
		tr.down.Store(false)
		time.Sleep(31 * time.Second) // longer than the longest backoff pause
		synctest.Wait()

		v := room2.View()
		require.Len(t, v.Learners, 1, "the learner reconnected with the same token")
		assert.Equal(t, StateDone, v.Learners[0].Cells[0].State,
			"the status sent while the server was away arrives")
		assert.Contains(t, log.String(), "connected again")
		assert.Equal(t, 1, bytes.Count([]byte(log.String()), []byte("cannot reach")),
			"the learner is told once, not at every retry")

		cancel()
		assert.ErrorIs(t, <-done, context.Canceled, "Run stops with its context")
	})
}

// TestReporterToldOnceWhenRefused restarts the instructor's server with a new room, whose
// code the learner does not have: the learner is told once, not at every heartbeat.
func TestReporterToldOnceWhenRefused(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h, room := newTestHandler(t, Config{})
		tr := &memTransport{h: h}
		var log syncBuffer
		rep := newTestReporter(t, tr, room.Code(), "Ada", "", &log)
		require.NoError(t, rep.Join(t.Context()))

		h2, _ := newTestHandler(t, Config{}) // a new room: new code, no learners
		tr.set(h2)
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() { done <- rep.Run(ctx) }()
		rep.Report(Status{})
		time.Sleep(2 * time.Minute) // four heartbeats
		synctest.Wait()
		cancel()
		<-done
		assert.Equal(t, 1, bytes.Count([]byte(log.String()), []byte("join code is not this")),
			"the refusal is told once: %s", log.String())
	})
}
