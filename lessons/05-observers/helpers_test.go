package observers

import (
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

// inbox is a subscriber that remembers what it received; it is safe for concurrent use.
type inbox struct {
	mu     sync.Mutex
	events []Event
}

func (in *inbox) receive(e Event) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.events = append(in.events, e)
}

func (in *inbox) got() []Event {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]Event(nil), in.events...)
}

// newFeed returns NewFeed() and fails the test if it returned nil.
func newFeed(t *testing.T) *Feed {
	t.Helper()
	var f *Feed
	call(t, "NewFeed", func() { f = NewFeed() })
	if f == nil {
		t.Fatal("NewFeed returned nil; it must return a *Feed")
	}
	return f
}

// subscribe calls f.Subscribe and fails the test if it returned no unsubscribe function.
func subscribe(t *testing.T, f *Feed, fn func(Event)) func() {
	t.Helper()
	var unsubscribe func()
	call(t, "Subscribe", func() { unsubscribe = f.Subscribe(fn) })
	if unsubscribe == nil {
		t.Fatal("Subscribe returned a nil unsubscribe function")
	}
	return func() {
		t.Helper()
		call(t, "unsubscribe", unsubscribe)
	}
}

// events returns n events for booking ids BK-1 ... BK-n, alternating statuses.
func events(n int) []Event {
	statuses := []Status{StatusPending, StatusConfirmed, StatusPaymentFailed, StatusSoldOut}
	out := make([]Event, n)
	for i := range out {
		out[i] = Event{BookingID: fmt.Sprintf("BK-%d", i+1), Status: statuses[i%len(statuses)]}
	}
	return out
}
