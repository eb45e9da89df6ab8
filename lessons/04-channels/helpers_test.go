package channels

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// bubble runs f with fake time (testing/synctest). When every goroutine is stuck, the test
// fails with advice instead of hanging or crashing the test binary.
func bubble(t *testing.T, stuck string, f func(t *testing.T)) {
	t.Helper()
	defer watchdog(t)()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s\n(every goroutine was blocked, so the test could not go on: %v)",
				stuck, r)
		}
	}()
	synctest.Test(t, f)
}

// stuckAfter is how much real time a test may take before the watchdog stops the test binary.
// Fake time does not count: only a goroutine stuck on a sync.Mutex gets this far.
const stuckAfter = 10 * time.Second

// watchdog stops the whole test binary with an explanation when a test is stuck for real,
// which happens when a sync.Mutex is never unlocked or is locked twice by one goroutine:
// synctest cannot see such a deadlock, and the test would otherwise hang for ten minutes.
func watchdog(t *testing.T) (stop func() bool) {
	name := t.Name()
	timer := time.AfterFunc(stuckAfter, func() {
		panic(fmt.Sprintf("%s is still running after %v of real time, so it is stuck: most "+
			"likely a sync.Mutex that is never unlocked, or locked again by the goroutine "+
			"that holds it (for example while calling a callback that takes the same lock)",
			name, stuckAfter))
	})
	return timer.Stop
}

// call runs one call of the learner's code and reports a panic as a failure.
func call(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("%s panicked: %v", what, r)
		}
	}()
	f()
}

var errDeclined = errors.New("card declined")

// outcomeFor is what the fake service answers for b: travellers whose name mentions
// "declined" have their card declined, everyone else is confirmed.
func outcomeFor(b Booking) Outcome {
	id := "BK-" + b.Name
	if strings.Contains(b.Name, "declined") {
		return Outcome{Result: Result{ID: id, Status: StatusPaymentFailed}, Err: errDeclined}
	}
	return Outcome{Result: Result{ID: id, Status: StatusConfirmed}}
}

// fakeService is a callback-style booking service whose bookings take delay (fake time).
// It counts the bookings in flight and the callbacks that returned.
type fakeService struct {
	delay time.Duration

	mu          sync.Mutex
	started     int
	inFlight    int
	maxInFlight int
	finished    int // callbacks that returned
}

func (s *fakeService) book(ctx context.Context, b Booking, done func(Result, error)) {
	s.mu.Lock()
	s.started++
	s.inFlight++
	s.maxInFlight = max(s.maxInFlight, s.inFlight)
	s.mu.Unlock()

	go func() {
		timer := time.NewTimer(s.delay)
		defer timer.Stop()
		o := outcomeFor(b)
		select {
		case <-timer.C:
		case <-ctx.Done():
			o = Outcome{Err: ctx.Err()}
		}

		s.mu.Lock()
		s.inFlight--
		s.mu.Unlock()
		done(o.Result, o.Err)
		s.mu.Lock()
		s.finished++
		s.mu.Unlock()
	}()
}

func (s *fakeService) stats() (started, maxInFlight, finished int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.started, s.maxInFlight, s.finished
}

// call is one call of a done callback.
type doneCall struct {
	result Result
	err    error
	at     time.Duration
}

func (c doneCall) String() string {
	return fmt.Sprintf("done(%+v, %v) after %v", c.result, c.err, c.at)
}

// recorder is a done callback that remembers its calls; it is safe for concurrent use.
type recorder struct {
	start time.Time
	mu    sync.Mutex
	calls []doneCall
}

func newRecorder() *recorder { return &recorder{start: time.Now()} }

func (r *recorder) done(res Result, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, doneCall{result: res, err: err, at: time.Since(r.start)})
}

func (r *recorder) snapshot() []doneCall {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]doneCall(nil), r.calls...)
}

// sendAfter sends o on a new channel with room for one after d (fake time), unless the test
// ends first.
func sendAfter(t *testing.T, d time.Duration, o Outcome) chan Outcome {
	ch := make(chan Outcome, 1)
	go func() {
		timer := time.NewTimer(d)
		defer timer.Stop()
		select {
		case <-timer.C:
			ch <- o
		case <-t.Context().Done():
		}
	}()
	return ch
}
