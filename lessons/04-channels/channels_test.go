package channels

import (
	"context"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	ana      = Booking{Name: "Ana", From: "Lisbon", To: "Porto"}
	declined = Booking{Name: "Eve (card declined)", From: "Paris", To: "Lyon"}
)

func TestStart(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name    string
		booking Booking
		read    bool // whether the test reads the channel at all
	}{
		{name: "delivers_confirmation", booking: ana, read: true},
		{name: "delivers_failure", booking: declined, read: true},
		{name: "nobody_reads", booking: ana, read: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			bubble(t, "Start is stuck. It must return the channel at once, without waiting "+
				"for the outcome", func(t *testing.T) {
				svc := &fakeService{delay: 10 * time.Second}
				situation := fmt.Sprintf("Start(ctx, book, %+v)", tt.booking)

				var ch <-chan Outcome
				call(t, "Start", func() { ch = Start(t.Context(), svc.book, tt.booking) })
				require.NotNil(t, ch, "%s returned a nil channel; return the channel the "+
					"outcome will be sent on", situation)
				started, _, _ := svc.stats()
				require.Equal(t, 1, started, "%s must start the booking: call book once",
					situation)
				t.Cleanup(func() { drain(ch) })

				time.Sleep(svc.delay)
				synctest.Wait()

				if !tt.read {
					_, _, finished := svc.stats()
					assert.Equal(t, 1, finished, "%s: nobody read the channel, and the "+
						"service's callback is stuck sending on it (a leaked goroutine). Make "+
						"the channel with a buffer of one: make(chan Outcome, 1)", situation)
					return
				}
				select {
				case got := <-ch:
					assert.Equal(t, outcomeFor(tt.booking), got, "%s: wrong Outcome on the "+
						"channel; it must carry the Result and error given to done", situation)
				default:
					t.Fatalf("%s: the service called back after %v, but no Outcome arrived "+
						"on the channel. done must send Outcome{Result: r, Err: err} on it",
						situation, svc.delay)
				}
			})
		})
	}
}

// drain takes a waiting value off ch, so that a sender stuck on it can end.
func drain(ch <-chan Outcome) {
	select {
	case <-ch:
	default:
	}
}

func TestAwait(t *testing.T) {
	t.Parallel()

	const timeout = 10 * time.Second
	sent := outcomeFor(ana)
	tests := []struct {
		name     string
		arrives  time.Duration // when the outcome is sent
		cancelAt time.Duration // when ctx is cancelled; 0 means never
		want     Outcome
		wantErr  error
		wantAt   time.Duration
	}{
		{name: "arrives_in_time", arrives: 4 * time.Second, want: sent, wantAt: 4 * time.Second},
		{name: "arrives_too_late", arrives: time.Minute, wantErr: ErrTimeout, wantAt: timeout},
		{name: "cancelled_first", arrives: time.Minute, cancelAt: 3 * time.Second,
			wantErr: context.Canceled, wantAt: 3 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			bubble(t, "Await is stuck waiting. It must stop waiting after the timeout and "+
				"when ctx ends: select on the channel, a timer and ctx.Done()",
				func(t *testing.T) {
					ctx, cancel := context.WithCancel(t.Context())
					defer cancel()
					if tt.cancelAt > 0 {
						time.AfterFunc(tt.cancelAt, cancel)
					}
					ch := sendAfter(t, tt.arrives, sent)
					situation := fmt.Sprintf("Await(ctx, ch, %v) with the outcome sent after "+
						"%v", timeout, tt.arrives)
					if tt.cancelAt > 0 {
						situation += fmt.Sprintf(" and ctx cancelled after %v", tt.cancelAt)
					}

					start := time.Now()
					var got Outcome
					var err error
					call(t, "Await", func() { got, err = Await(ctx, ch, timeout) })
					at := time.Since(start)

					if tt.wantErr == nil {
						assert.NoError(t, err, "%s: the outcome came in time", situation)
					} else {
						assert.ErrorIs(t, err, tt.wantErr, "%s: wrong error; got %v",
							situation, err)
					}
					assert.Equal(t, tt.want, got, "%s: wrong Outcome returned", situation)
					assert.Equal(t, tt.wantAt, at, "%s: Await must return as soon as "+
						"something happens", situation)
				})
		})
	}
}

func TestBookAll(t *testing.T) {
	t.Parallel()

	bookings := []Booking{
		{Name: "Ana", From: "Lisbon", To: "Porto"},
		{Name: "Ben", From: "Paris", To: "Lyon"},
		{Name: "Chloe (card declined)", From: "Rome", To: "Milan"},
		{Name: "Dev", From: "Berlin", To: "Hamburg"},
		{Name: "Eli", From: "Madrid", To: "Seville"},
	}
	const delay = 10 * time.Second
	tests := []struct {
		name        string
		limit       int
		wantMax     int
		wantElapsed time.Duration
	}{
		{name: "two_at_a_time", limit: 2, wantMax: 2, wantElapsed: 3 * delay},
		{name: "limit_above_count", limit: 10, wantMax: 5, wantElapsed: delay},
		{name: "limit_zero_is_one", limit: 0, wantMax: 1, wantElapsed: 5 * delay},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			bubble(t, "BookAll is stuck: every goroutine is blocked. Check that each worker "+
				"gives its slot back and that the results channel has room (or is read)",
				func(t *testing.T) {
					svc := &fakeService{delay: delay}
					situation := fmt.Sprintf("BookAll of %d bookings with limit %d, each "+
						"booking taking %v", len(bookings), tt.limit, delay)

					start := time.Now()
					var got []Outcome
					call(t, "BookAll", func() {
						got = BookAll(t.Context(), svc.book, bookings, tt.limit)
					})
					elapsed := time.Since(start)
					synctest.Wait()

					require.Len(t, got, len(bookings), "%s: BookAll returned %d outcomes; "+
						"it must return one per booking", situation, len(got))
					want := make([]Outcome, len(bookings))
					for i, b := range bookings {
						want[i] = outcomeFor(b)
					}
					assert.Equal(t, want, got, "%s: BookAll must return one Outcome per "+
						"booking, in the order of the bookings (put each outcome back at its "+
						"index when fanning in)", situation)
					_, maxInFlight, _ := svc.stats()
					assert.Equal(t, tt.wantMax, maxInFlight, "%s: the most bookings in "+
						"flight at once must be %d", situation, tt.wantMax)
					assert.Equal(t, tt.wantElapsed, elapsed, "%s: with %d at a time, "+
						"BookAll must take %v", situation, tt.wantMax, tt.wantElapsed)
				})
		})
	}
}

func TestToCallback(t *testing.T) {
	t.Parallel()

	sent := outcomeFor(declined)
	tests := []struct {
		name     string
		cancelAt time.Duration // 0: never cancel
		want     doneCall
		wantErr  error
	}{
		{name: "delivers_outcome", want: doneCall{result: sent.Result, err: sent.Err,
			at: 5 * time.Second}, wantErr: sent.Err},
		{name: "cancelled_first", cancelAt: 2 * time.Second,
			want: doneCall{at: 2 * time.Second}, wantErr: context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			bubble(t, "ToCallback left a goroutine behind, blocked forever. Its goroutine "+
				"must also stop when ctx ends: select on ch and ctx.Done()",
				func(t *testing.T) {
					ctx, cancel := context.WithCancel(t.Context())
					defer cancel()
					var ch chan Outcome
					situation := "ToCallback(ctx, ch, done)"
					if tt.cancelAt > 0 {
						ch = make(chan Outcome) // nothing ever arrives
						time.AfterFunc(tt.cancelAt, cancel)
						situation += fmt.Sprintf(" with nothing on ch and ctx cancelled after "+
							"%v", tt.cancelAt)
					} else {
						ch = sendAfter(t, 5*time.Second, sent)
						situation += " with the outcome sent on ch after 5s"
					}
					rec := newRecorder()

					call(t, "ToCallback", func() { ToCallback(ctx, ch, rec.done) })
					assert.Zero(t, time.Since(rec.start), "%s must return at once and wait "+
						"on a goroutine of its own", situation)

					time.Sleep(time.Minute)
					synctest.Wait()

					calls := rec.snapshot()
					require.NotEmpty(t, calls, "%s: done was never called; it must be "+
						"called exactly once", situation)
					require.Len(t, calls, 1, "%s: done must be called exactly once; got %v",
						situation, calls)
					got := calls[0]
					assert.Equal(t, tt.want.result, got.result, "%s: wrong Result", situation)
					assert.ErrorIs(t, got.err, tt.wantErr, "%s: wrong error; got %v",
						situation, got.err)
					assert.Equal(t, tt.want.at, got.at, "%s: done must be called as soon as "+
						"the outcome arrives or ctx ends", situation)
				})
		})
	}
}
