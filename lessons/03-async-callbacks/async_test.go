package async

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var lisbonPorto = Booking{Name: "Ana Silva", From: "Lisbon", To: "Porto"}

// only returns the single call of done, failing with advice when there was not exactly one.
func only(t *testing.T, rec *recorder, situation string) outcome {
	t.Helper()
	calls := rec.snapshot()
	require.NotEmpty(t, calls, "%s: done was never called. The goroutine you start must "+
		"call done exactly once when the payment ends", situation)
	require.Len(t, calls, 1, "%s: done must be called exactly once; got %v", situation, calls)
	return calls[0]
}

func TestBookAsync(t *testing.T) {
	t.Parallel()

	declined := errors.New("card declined")
	tests := []struct {
		name     string
		payment  error // what the payment returns when released
		cancel   bool  // cancel the context instead of releasing the payment
		want     Result
		wantErrs []error
	}{
		{name: "confirmed", want: Result{ID: "BK-7", Status: StatusConfirmed}},
		{name: "payment_fails", payment: declined,
			want:     Result{ID: "BK-7", Status: StatusPaymentFailed},
			wantErrs: []error{ErrPaymentFailed, declined}},
		{name: "cancelled", cancel: true,
			want:     Result{ID: "BK-7", Status: StatusCancelled},
			wantErrs: []error{context.Canceled}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			bubble(t, "BookAsync did not return while the payment was still running. "+
				"It must return at once: run the payment on a new goroutine (go func() {...}())",
				func(t *testing.T) {
					ctx, cancel := context.WithCancel(t.Context())
					defer cancel()
					payer, rec := newFakePayer(tt.payment), newRecorder()
					situation := fmt.Sprintf(`BookAsync(ctx, "BK-7", %+v, pay, done)`, lisbonPorto)

					call(t, "BookAsync", func() {
						BookAsync(ctx, "BK-7", lisbonPorto, payer.pay, rec.done)
					})
					synctest.Wait()
					started, _ := payer.counts()
					require.Equal(t, 1, started, "%s must start the payment (call pay once) "+
						"on a new goroutine; pay was called %d times", situation, started)
					require.Empty(t, rec.snapshot(), "%s called done before the payment "+
						"finished", situation)

					if tt.cancel {
						cancel()
						situation += " with ctx cancelled during the payment"
					} else {
						close(payer.release)
					}
					synctest.Wait()

					got := only(t, rec, situation)
					assert.Equal(t, tt.want, got.result, "%s: wrong Result passed to done",
						situation)
					if len(tt.wantErrs) == 0 {
						assert.NoError(t, got.err, "%s: done must get a nil error", situation)
					}
					for _, want := range tt.wantErrs {
						assert.ErrorIs(t, got.err, want, "%s: the error passed to done must "+
							"wrap %q; got %v", situation, want, got.err)
					}
				})
		})
	}
}

func TestBookWithin(t *testing.T) {
	t.Parallel()

	const limit = 30 * time.Second
	tests := []struct {
		name    string
		payTime time.Duration // how long the payment takes on its own
		want    Result
		wantErr error
		wantAt  time.Duration
	}{
		{name: "pays_in_time", payTime: 10 * time.Second,
			want: Result{ID: "BK-3", Status: StatusConfirmed}, wantAt: 10 * time.Second},
		{name: "too_slow", payTime: time.Hour,
			want:    Result{ID: "BK-3", Status: StatusCancelled},
			wantErr: context.DeadlineExceeded, wantAt: limit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			bubble(t, "BookWithin did not return while the payment was still running. "+
				"It must return at once and let the booking run on its own goroutine",
				func(t *testing.T) {
					payer, rec := newFakePayer(nil), newRecorder()
					payer.after = tt.payTime
					situation := fmt.Sprintf("BookWithin with a limit of %v and a payment "+
						"that takes %v", limit, tt.payTime)

					call(t, "BookWithin", func() {
						BookWithin(t.Context(), "BK-3", lisbonPorto, payer.pay, limit, rec.done)
					})
					// Fake time: Sleep returns as soon as every other goroutine is blocked.
					time.Sleep(min(tt.payTime, limit))
					synctest.Wait()

					got := only(t, rec, situation)
					if errors.Is(got.err, context.Canceled) {
						t.Errorf("%s: the payment was cancelled after %v, before its time "+
							"limit. A `defer cancel()` in BookWithin runs as soon as BookWithin "+
							"returns, which is at once; call cancel when the booking ends, from "+
							"the callback you give BookAsync", situation, got.at)
					}
					assert.Equal(t, tt.want, got.result, "%s: wrong Result", situation)
					if tt.wantErr == nil {
						assert.NoError(t, got.err, "%s: done must get a nil error", situation)
					} else {
						assert.ErrorIs(t, got.err, tt.wantErr, "%s: the error must be the "+
							"context's error, from a context made with context.WithTimeout; "+
							"got %v", situation, got.err)
					}
					assert.Equal(t, tt.wantAt, got.at, "%s: done must be called as soon as "+
						"the booking ends", situation)

					// The timer must be released when the booking ends, not when it fires.
					require.NotEmpty(t, payer.ctxs, "%s: pay was never called", situation)
					assert.Error(t, payer.ctxs[0].Err(), "%s: the booking ended after %v, "+
						"but the context given to pay was still live: call the cancel "+
						"function from context.WithTimeout when the booking ends, so its "+
						"timer is released at once", situation, got.at)

					time.Sleep(2 * limit)
					synctest.Wait()
					assert.Len(t, rec.snapshot(), 1, "%s: done must be called exactly once; "+
						"later it was called again: %v", situation, rec.snapshot())
				})
		})
	}
}

func TestBookAll(t *testing.T) {
	t.Parallel()

	bubble(t, "BookAll is stuck: every goroutine is blocked. Does each booking's done call "+
		"wg.Done() exactly once, and does BookAll call wg.Add before starting the bookings?",
		func(t *testing.T) {
			bookings := []Booking{
				{Name: "Ana", From: "Lisbon", To: "Porto"},
				{Name: "Ben", From: "Paris", To: "Lyon"},
				{Name: "Chloe", From: "Rome", To: "Milan"},
				{Name: "Dev", From: "Berlin", To: "Hamburg"},
			}
			const payTime = 10 * time.Second
			payer, rec := newFakePayer(nil), newRecorder()
			payer.after = payTime
			situation := fmt.Sprintf("BookAll of %d bookings whose payments take %v each",
				len(bookings), payTime)

			var returnedAt time.Duration
			call(t, "BookAll", func() {
				BookAll(t.Context(), bookings, payer.pay, rec.doneAt)
				returnedAt = time.Since(rec.start)
			})
			synctest.Wait()

			calls := rec.snapshot()
			require.Len(t, calls, len(bookings), "%s: done was called %d times before "+
				"BookAll returned; BookAll must call done once per booking, and wait for "+
				"all of them (sync.WaitGroup)", situation, len(calls))
			seen := map[int]Result{}
			for _, c := range calls {
				assert.NotContains(t, seen, c.i, "%s: done was called twice for booking %d",
					situation, c.i)
				seen[c.i] = c.result
				assert.LessOrEqual(t, c.at, returnedAt, "%s: done for booking %d ran after "+
					"BookAll returned; BookAll must wait for every done call", situation, c.i)
			}
			want := map[int]Result{}
			for i := range bookings {
				want[i] = Result{ID: fmt.Sprintf("BK-%d", i+1), Status: StatusConfirmed}
			}
			assert.Equal(t, want, seen, "%s: done must be called once per booking, as "+
				"done(i, Result{ID: \"BK-<i+1>\", Status: confirmed}, nil)", situation)
			assert.Equal(t, payTime, returnedAt, "%s: BookAll must run the bookings at the "+
				"same time and return when the last one ends, after %v in all (one after "+
				"the other would take %v)", situation, payTime,
				payTime*time.Duration(len(bookings)))
			_, finished := payer.counts()
			assert.Equal(t, len(bookings), finished, "%s: every payment must have finished "+
				"when BookAll returns", situation)
		})
}

func TestTally(t *testing.T) {
	t.Parallel()

	defer watchdog(t)()
	const confirmed, failed = 60, 40
	var tally Tally
	var ready = make(chan struct{})
	results := make(chan any, confirmed+failed)
	for i := range confirmed + failed {
		go func() {
			defer func() { results <- recover() }()
			<-ready
			if i < confirmed {
				tally.Record(Result{ID: fmt.Sprint(i), Status: StatusConfirmed}, nil)
				return
			}
			tally.Record(Result{ID: fmt.Sprint(i), Status: StatusPaymentFailed}, ErrPaymentFailed)
		}()
	}
	close(ready) // let all the goroutines record at the same moment
	for range confirmed + failed {
		if p := <-results; p != nil {
			t.Fatalf("Tally.Record panicked: %v", p)
		}
	}

	var gotOK, gotFailed int
	call(t, "Tally.Counts", func() { gotOK, gotFailed = tally.Counts() })
	assert.Equal(t, [2]int{confirmed, failed}, [2]int{gotOK, gotFailed}, "%d goroutines "+
		"called Record at once (%d confirmed, %d failed); Counts must return (%d, %d). "+
		"Protect the counts with a sync.Mutex, and run `go test -race` to see data races",
		confirmed+failed, confirmed, failed, confirmed, failed)
}
