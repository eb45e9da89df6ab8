package capstone

import (
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"callbacklab/sim/trace"
)

// step is one exchange of the story: a request and the status of its answer.
type step struct {
	from, to, method, path string
	status                 int
}

func (s step) String() string {
	return fmt.Sprintf("%s->>%s: %s %s, answered %d", s.from, s.to, s.method, s.path, s.status)
}

var (
	requestLine = regexp.MustCompile(`^\s*(\w+)->>(\w+): (\S+) (\S+)\s*$`)
	answerLine  = regexp.MustCompile(`^\s*(\w+)-->>(\w+): (\d{3})\s*$`)
	bookingPath = regexp.MustCompile(`/bookings/bk_\w+`)
)

// readStory reads the expected sequence diagram: request lines and their answers. An answer
// belongs to the latest request still unanswered that went the other way, so calls made while
// serving a request sit between the request and its answer, as they happen.
func readStory(t *testing.T, path string) []step {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err, "the expected story %s must be readable", path)
	var steps []step
	for n, line := range strings.Split(string(b), "\n") {
		if m := requestLine.FindStringSubmatch(line); m != nil {
			steps = append(steps, step{from: m[1], to: m[2], method: m[3], path: m[4]})
			continue
		}
		if m := answerLine.FindStringSubmatch(line); m != nil {
			i := len(steps) - 1
			for i >= 0 && (steps[i].status != 0 || steps[i].to+"->"+steps[i].from != m[1]+"->"+m[2]) {
				i--
			}
			require.GreaterOrEqual(t, i, 0,
				"%s:%d: an answer with no request from %s to %s before it", path, n+1, m[2], m[1])
			steps[i].status, _ = strconv.Atoi(m[3])
		}
	}
	require.NotEmpty(t, steps, "%s holds no steps", path)
	return steps
}

// recordedStory turns a recorded journey into steps, without queries and with booking ids
// written as {id}.
func recordedStory(j trace.Journey) []step {
	var steps []step
	for _, h := range j.Hops {
		path, _, _ := strings.Cut(h.Path, "?")
		path = bookingPath.ReplaceAllString(path, "/bookings/{id}")
		steps = append(steps, step{from: trace.MermaidID(h.From), to: trace.MermaidID(h.To),
			method: h.Method, path: path, status: h.Status})
	}
	return steps
}

// firstDifference reports the first step where the stories differ, or "" when they agree.
func firstDifference(want, got []step) string {
	for i := range max(len(want), len(got)) {
		switch {
		case i >= len(got):
			return fmt.Sprintf("the story stops after step %d; step %d should be\n    %s",
				len(got), i+1, want[i])
		case i >= len(want):
			return fmt.Sprintf("the story goes on after step %d with\n    %s", len(want), got[i])
		case want[i] != got[i]:
			return fmt.Sprintf("step %d differs:\n    want %s\n    got  %s", i+1, want[i], got[i])
		}
	}
	return ""
}

// listing writes steps one per line, numbered.
func listing(steps []step) string {
	var b strings.Builder
	for i, s := range steps {
		fmt.Fprintf(&b, "%3d. %s\n", i+1, s)
	}
	return b.String()
}

// journeyListing introduces the recorded steps of the traveller's journey, or says what an
// empty recording most likely means.
func journeyListing(got []step) string {
	if len(got) == 0 {
		return "No exchange of the traveller's journey was recorded: no journey started with " +
			"GET /login. Most likely the site did not answer GET /login (is s.auth.routes(mux) " +
			"still in Handler?), or the requests did not go through the traced handler, the " +
			"one that Site.Handler returns.\n"
	}
	return "Every exchange of the traveller's journey (from GET /login on):\n" + listing(got)
}

// TestTheWholeStory follows a traveller from signing in to seeing the outcome of a booking,
// and compares every exchange with the sequence diagram in testdata/story.mmd.
func TestTheWholeStory(t *testing.T) {
	t.Parallel()
	want := readStory(t, "testdata/story.mmd")
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t)
		b := w.browser(t)

		// Sign in, book, let book_ticket work and call back, then look at the booking.
		b.signIn("alice")
		code, booked, body := b.book(trip())
		if code == http.StatusAccepted {
			w.wait()
			code, outcome, body := b.status(booked.BookingID)
			assert.Equal(t, http.StatusOK, code, "GET /bookings/%s: %s", booked.BookingID, body)
			assert.Equal(t, "confirmed", outcome.Status, "the outcome that book_ticket called "+
				"back with must reach the traveller")
		} else {
			t.Logf("POST /book answered %d %q", code, body)
		}

		// The traveller's journey: the one that starts with GET /login.
		var got []step
		for _, j := range w.rec.Journeys() {
			if len(j.Hops) > 0 && j.Hops[0].Path == "/login" {
				got = recordedStory(j)
			}
		}
		if diff := firstDifference(want, got); diff != "" {
			t.Errorf("the exchanges of the whole story differ from testdata/story.mmd: %s\n\n"+
				"%s", diff, journeyListing(got))
		}
	})
}
