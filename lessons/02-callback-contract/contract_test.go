package contract

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lisbonPorto is the booking most tests make.
var lisbonPorto = Booking{
	Name: "Ana Silva", Email: "ana@example.com", From: "Lisbon", To: "Porto", Date: "2026-12-24",
}

// describe quotes a booking the way the failure messages show it.
func describe(b Booking) string {
	return fmt.Sprintf("{name: %q, from: %q, to: %q}", b.Name, b.From, b.To)
}

// call is one call of done, as the test saw it.
type call struct {
	result     Result
	err        error
	lockIsHeld bool // the desk's lock was held while done ran
}

// recorder is a done callback that remembers its calls. It is safe for concurrent use.
type recorder struct {
	desk  *Desk
	mu    sync.Mutex
	calls []call
}

func (r *recorder) done(res Result, err error) {
	held := lockHeld(r.desk)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, call{result: res, err: err, lockIsHeld: held})
}

// only returns the single call of done, failing the test when there was not exactly one.
func (r *recorder) only(t *testing.T, situation string) call {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	require.NotEmpty(t, r.calls, "%s: Book returned without calling done. "+
		"Book must call done exactly once, before it returns", situation)
	require.Len(t, r.calls, 1, "%s: Book must call done exactly once; it was called %d times, "+
		"with %s", situation, len(r.calls), describeCalls(r.calls))
	c := r.calls[0]
	assert.False(t, c.lockIsHeld, "%s: done ran while the desk's lock (d.mu) was held. "+
		"Unlock before calling done: a callback that calls d.Seats() would deadlock", situation)
	return c
}

func describeCalls(calls []call) string {
	var s string
	for i, c := range calls {
		if i > 0 {
			s += " then "
		}
		s += fmt.Sprintf("(%+v, %v)", c.result, c.err)
	}
	return s
}

// lockHeld reports whether d's lock is held by someone right now.
func lockHeld(d *Desk) bool {
	if d == nil {
		return false
	}
	if d.mu.TryLock() {
		d.mu.Unlock()
		return false
	}
	return true
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

// seatsLeft returns d.Seats(), or fails the test when Book left the lock held.
func seatsLeft(t *testing.T, d *Desk) int {
	t.Helper()
	if lockHeld(d) {
		t.Fatalf("Book returned with d.mu still locked: unlock it on every path, or the next " +
			"call of Book or Seats waits forever")
	}
	return d.Seats()
}

// book calls d.Book and reports a panic that escaped it instead of crashing the test binary.
func book(d *Desk, b Booking, done func(Result, error)) (panicked any) {
	defer func() { panicked = recover() }()
	d.Book(b, done)
	return nil
}

// newDesk builds a desk and fails the test if NewDesk does not return one.
func newDesk(t *testing.T, seats int, charge func(Booking) error) *Desk {
	t.Helper()
	d := NewDesk(seats, charge)
	require.NotNil(t, d, "NewDesk(%d, charge) returned nil; it must return a *Desk", seats)
	return d
}

func TestBook(t *testing.T) {
	t.Parallel()

	declined := errors.New("card declined")
	tests := []struct {
		name       string
		seats      int
		charge     func(Booking) error
		want       Result
		wantErrs   []error // errors the reported error must wrap; none means nil
		wantSeats  int     // seats left after the booking
		wantCharge int     // calls of charge
	}{
		{
			name: "confirmed", seats: 2, charge: func(Booking) error { return nil },
			want: Result{ID: "BK-1", Status: StatusConfirmed}, wantSeats: 1, wantCharge: 1,
		},
		{
			name: "sold_out", seats: 0, charge: func(Booking) error { return nil },
			want: Result{Status: StatusSoldOut}, wantErrs: []error{ErrSoldOut},
			wantSeats: 0, wantCharge: 0,
		},
		{
			name: "payment_fails", seats: 1, charge: func(Booking) error { return declined },
			want:     Result{ID: "BK-1", Status: StatusPaymentFailed},
			wantErrs: []error{ErrPaymentFailed, declined}, wantSeats: 1, wantCharge: 1,
		},
		{
			name: "payment_panics", seats: 1,
			charge:   func(Booking) error { panic("card reader on fire") },
			want:     Result{ID: "BK-1", Status: StatusPaymentFailed},
			wantErrs: []error{ErrPaymentPanicked}, wantSeats: 1, wantCharge: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			defer watchdog(t)()
			situation := fmt.Sprintf("Book(%s) on a desk with %d seat(s)", describe(lisbonPorto),
				tt.seats)

			var charges int
			var chargeUnderLock bool
			var d *Desk
			d = newDesk(t, tt.seats, func(b Booking) error {
				charges++
				chargeUnderLock = chargeUnderLock || lockHeld(d)
				return tt.charge(b)
			})
			rec := &recorder{desk: d}

			p := book(d, lisbonPorto, rec.done)
			require.Nil(t, p, "%s panicked: %v. Book must recover a panic of charge and "+
				"report it to done as an error wrapping ErrPaymentPanicked", situation, p)

			got := rec.only(t, situation)
			assert.Equal(t, tt.want, got.result, "%s: wrong Result passed to done", situation)
			if len(tt.wantErrs) == 0 {
				assert.NoError(t, got.err, "%s: done must get a nil error", situation)
			}
			for _, want := range tt.wantErrs {
				assert.ErrorIs(t, got.err, want, "%s: the error passed to done must wrap %q "+
					"(use %%w in fmt.Errorf); got %v", situation, want, got.err)
			}
			assert.Equal(t, tt.wantCharge, charges, "%s: charge must be called %d times",
				situation, tt.wantCharge)
			assert.False(t, chargeUnderLock, "%s: charge ran while d.mu was held. Take the "+
				"seat under the lock, unlock, then charge: payment is slow", situation)
			assert.Equal(t, tt.wantSeats, seatsLeft(t, d), "%s: seats left afterwards (a failed "+
				"payment gives its seat back)", situation)
		})
	}
}

func TestBook_DonePanics(t *testing.T) {
	t.Parallel()
	defer watchdog(t)()

	d := newDesk(t, 1, func(Booking) error { return nil })
	var calls int
	p := book(d, lisbonPorto, func(Result, error) {
		calls++
		panic("the traveller's page crashed")
	})

	require.NotZero(t, calls, "Book(%s) returned without calling done; "+
		"it must call done exactly once", describe(lisbonPorto))
	assert.Equal(t, 1, calls, "done panicked on its first call, and Book called it %d times. "+
		"A panic in done is the caller's bug: Book must not call done again, so put your "+
		"recover around charge only, not around done", calls)
	assert.NotNil(t, p, "done panicked but Book swallowed the panic; let it reach Book's "+
		"caller, whose bug it is")
}

func TestBook_SeveralTravellersAtOnce(t *testing.T) {
	t.Parallel()
	defer watchdog(t)()

	const seats, travellers = 3, 10
	d := newDesk(t, seats, func(Booking) error { return nil })
	rec := &recorder{desk: d}

	var wg sync.WaitGroup
	panics := make(chan any, travellers)
	for i := range travellers {
		wg.Go(func() {
			b := lisbonPorto
			b.Name = fmt.Sprintf("traveller %d", i)
			if p := book(d, b, rec.done); p != nil {
				panics <- p
			}
		})
	}
	wg.Wait()
	close(panics)
	for p := range panics {
		t.Fatalf("Book panicked: %v", p)
	}

	rec.mu.Lock()
	defer rec.mu.Unlock()
	require.Len(t, rec.calls, travellers, "%d travellers called Book at once on a desk with "+
		"%d seats: done must be called once per Book call", travellers, seats)
	ids := map[string]bool{}
	statuses := map[Status]int{}
	for _, c := range rec.calls {
		statuses[c.result.Status]++
		if c.result.ID != "" {
			assert.False(t, ids[c.result.ID], "booking id %q was handed out twice", c.result.ID)
			ids[c.result.ID] = true
		}
	}
	assert.Equal(t, map[Status]int{StatusConfirmed: seats, StatusSoldOut: travellers - seats},
		statuses, "%d travellers, %d seats: want %d confirmed and %d sold out. Take seats "+
			"under d.mu so two travellers never get the same seat", travellers, seats, seats,
		travellers-seats)
	assert.Zero(t, seatsLeft(t, d), "all %d seats must be sold", seats)
}
