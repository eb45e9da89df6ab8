package async

import (
	"context"
	"fmt"
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

// fakePayer is a payment service whose payments last until the test releases them or their
// context ends. It remembers how its payments went.
type fakePayer struct {
	outcome error         // what a released payment returns
	release chan struct{} // closed by the test to let payments finish
	after   time.Duration // when non-zero, payments finish on their own after this long

	mu       sync.Mutex
	started  int
	finished int
	ctxs     []context.Context
}

func newFakePayer(outcome error) *fakePayer {
	return &fakePayer{outcome: outcome, release: make(chan struct{})}
}

func (p *fakePayer) pay(ctx context.Context, _ Booking) error {
	p.mu.Lock()
	p.started++
	p.ctxs = append(p.ctxs, ctx)
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		p.finished++
		p.mu.Unlock()
	}()

	var timeout <-chan time.Time
	if p.after > 0 {
		timer := time.NewTimer(p.after)
		defer timer.Stop()
		timeout = timer.C
	}
	select {
	case <-p.release:
		return p.outcome
	case <-timeout:
		return p.outcome
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (p *fakePayer) counts() (started, finished int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.started, p.finished
}

// outcome is one call of a done callback.
type outcome struct {
	i      int
	result Result
	err    error
	at     time.Duration // fake time since the test began
}

// recorder is a done callback that remembers its calls; it is safe for concurrent use.
type recorder struct {
	start time.Time
	mu    sync.Mutex
	calls []outcome
}

func newRecorder() *recorder { return &recorder{start: time.Now()} }

func (r *recorder) done(res Result, err error) { r.doneAt(-1, res, err) }

func (r *recorder) doneAt(i int, res Result, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, outcome{i: i, result: res, err: err, at: time.Since(r.start)})
}

func (r *recorder) snapshot() []outcome {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]outcome(nil), r.calls...)
}

func (o outcome) String() string {
	return fmt.Sprintf("done(%+v, %v) after %v", o.result, o.err, o.at)
}
