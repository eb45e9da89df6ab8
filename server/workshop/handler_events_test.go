package workshop

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readEvent reads one server-sent event and returns its name and data.
func readEvent(t *testing.T, sc *bufio.Scanner) (name, data string) {
	t.Helper()
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "" && (name != "" || data != ""):
			return name, data
		case strings.HasPrefix(line, "event: "):
			name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			data = strings.TrimPrefix(line, "data: ")
		}
	}
	t.Fatalf("the event stream ended early: %v", sc.Err())
	return "", ""
}

func TestEventsFollowTheRoom(t *testing.T) {
	h, room := newTestHandler(t, Config{EventInterval: 10 * time.Millisecond})
	srv := httptest.NewServer(h)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()

	req, err := http.NewRequestWithContext(ctx, "GET", srv.URL+"/workshop/events", nil)
	require.NoError(t, err)
	req.AddCookie(&http.Cookie{Name: instructorCookie, Value: room.InstructorToken()})
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)

	name, data := readEvent(t, sc)
	assert.Equal(t, "room", name, "a page gets the room at once")
	assert.Contains(t, data, `"learners":[]`, "the room is empty at first")

	tok := join(t, h, room.Code(), "Ada <b>")
	w := report(t, h, tok, `{"lessons":[{"lesson":1,"state":"failing","firstFailing":"TestX"}]}`)
	require.Equal(t, http.StatusOK, w.Code)
	for !strings.Contains(data, "TestX") {
		name, data = readEvent(t, sc)
		require.Equal(t, "room", name)
	}
	assert.Contains(t, data, `Ada \u003cb\u003e`, "the name is in the event, escaped")

	// Closing the handler ends the stream, so the server can shut down.
	h.Close()
	for sc.Scan() {
	}
	assert.NoError(t, ctx.Err(), "the stream ended when the handler closed, before the timeout")
}
