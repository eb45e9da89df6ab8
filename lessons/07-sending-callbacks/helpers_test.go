package sending

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"callbacklab/sim"
)

// secret is the Standard Webhooks secret that the sender and the receiver share.
const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// callbackURL is where the tests deliver; the requests never leave the test process.
const callbackURL = "https://travel.example/booking/callback"

// outcome is the body the tests deliver.
var outcome = []byte(`{"type":"booking.confirmed","data":{"booking_id":"bk_7f3a",` +
	`"status":"confirmed"}}`)

// hit is one request as the receiver saw it.
type hit struct {
	at     time.Time
	path   string
	header http.Header
	body   []byte
}

// answer is what the receiver does with its nth request (counting from 1): reply with
// status and header, or hang until the sender gives up on the attempt.
type answer struct {
	status int
	header http.Header
	hang   bool
}

// receiver is a fake travel site: it records every request and answers as its script says.
// It is safe for concurrent use.
type receiver struct {
	script func(n int) answer

	mu   sync.Mutex
	hits []hit
}

func (rv *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rv.mu.Lock()
	rv.hits = append(rv.hits, hit{at: time.Now(), path: r.URL.Path, header: r.Header.Clone(),
		body: body})
	n := len(rv.hits)
	rv.mu.Unlock()

	a := rv.script(n)
	if a.hang {
		<-r.Context().Done() // accept the request and never answer
		return
	}
	for k, v := range a.header {
		w.Header()[k] = v
	}
	w.WriteHeader(a.status)
}

func (rv *receiver) got() []hit {
	rv.mu.Lock()
	defer rv.mu.Unlock()
	return append([]hit(nil), rv.hits...)
}

// always answers every request the same way.
func always(a answer) func(int) answer { return func(int) answer { return a } }

// inOrder answers the nth request with the nth answer, and with the last one after that.
func inOrder(as ...answer) func(int) answer {
	return func(n int) answer { return as[min(n, len(as))-1] }
}

// status is an answer with a status code and an optional Retry-After header.
func status(code int, retryAfter ...string) answer {
	a := answer{status: code, header: http.Header{}}
	if len(retryAfter) > 0 {
		a.header.Set("Retry-After", retryAfter[0])
	}
	return a
}

// newSender returns the learner's Sender wired to the receiver in memory, with no jitter
// unless the test sets one.
func newSender(rv *receiver, p Policy) *Sender {
	return &Sender{
		Client: &http.Client{
			Transport: sim.InMemory(map[string]http.Handler{"travel.example": rv}),
		},
		Secret: secret,
		Policy: p,
		Jitter: func(ceiling time.Duration) time.Duration { return ceiling },
	}
}

// deliver calls Deliver and turns a panic into a test failure that names it.
func deliver(t *testing.T, s *Sender, url string) (attempts []Attempt, err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("Deliver panicked: %v\nFix the panic first.", r)
		}
	}()
	return s.Deliver(t.Context(), url, "msg_2Vd8c1", outcome)
}

// offsets returns when each hit arrived, counted from start.
func offsets(start time.Time, hits []hit) []time.Duration {
	var d []time.Duration
	for _, h := range hits {
		d = append(d, h.at.Sub(start))
	}
	return d
}

// seconds writes durations as "0s, 1s, 3s" for failure messages.
func seconds(ds []time.Duration) string {
	var parts []string
	for _, d := range ds {
		parts = append(parts, d.String())
	}
	if len(parts) == 0 {
		return "(no attempts)"
	}
	return strings.Join(parts, ", ")
}

// sameBytes reports whether two bodies are equal, for readable assertions.
func sameBytes(a, b []byte) bool { return bytes.Equal(a, b) }

// describeAnswers writes a script's first answers for failure messages.
func describeAnswers(script func(int) answer, n int) string {
	var parts []string
	for i := 1; i <= n; i++ {
		a := script(i)
		switch {
		case a.hang:
			parts = append(parts, "no answer")
		case a.header.Get("Retry-After") != "":
			parts = append(parts, fmt.Sprintf("%d with Retry-After: %s", a.status,
				a.header.Get("Retry-After")))
		default:
			parts = append(parts, fmt.Sprint(a.status))
		}
	}
	return strings.Join(parts, ", ")
}
