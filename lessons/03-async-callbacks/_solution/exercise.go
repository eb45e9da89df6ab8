// Package async is lesson 3 of callbacklab: callbacks that run later, on another goroutine.
// The booking runs in the background while the caller goes on; the caller waits for many
// bookings at once, cancels them and gives them deadlines with a context; no goroutine is
// left behind; and the state the callbacks share is protected from data races.
package async

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Status is where a booking stands.
type Status string

// The statuses a booking can end in.
const (
	StatusConfirmed     Status = "confirmed"
	StatusPaymentFailed Status = "payment failed"
	StatusCancelled     Status = "cancelled"
)

// Booking is the part of the travel site's booking form that this lesson needs.
type Booking struct {
	Name string
	From string
	To   string
}

// Result is the outcome of one booking.
type Result struct {
	ID     string
	Status Status
}

// Payer takes the payment for a booking. It may take a long time. When ctx is cancelled or
// its deadline passes, it stops and returns an error.
type Payer func(ctx context.Context, b Booking) error

// ErrPaymentFailed is reported, wrapping the payer's own error, when a payment fails.
var ErrPaymentFailed = errors.New("async: payment failed")

// BookAsync starts booking b, named id, on a new goroutine and returns at once. On that
// goroutine it calls pay(ctx, b) and then done exactly once:
//   - pay returns nil: done(Result{id, StatusConfirmed}, nil);
//   - pay fails because ctx was cancelled or passed its deadline:
//     done(Result{id, StatusCancelled}, ctx.Err());
//   - pay fails for another reason: done(Result{id, StatusPaymentFailed}, err), where err
//     wraps both [ErrPaymentFailed] and pay's error.
//
// The caller must not assume anything about the goroutine done runs on, nor that done has
// run when BookAsync returns.
func BookAsync(ctx context.Context, id string, b Booking, pay Payer,
	done func(Result, error)) {
	go func() {
		err := pay(ctx, b)
		switch {
		case err == nil:
			done(Result{ID: id, Status: StatusConfirmed}, nil)
		case ctx.Err() != nil:
			done(Result{ID: id, Status: StatusCancelled}, ctx.Err())
		default:
			done(Result{ID: id, Status: StatusPaymentFailed},
				fmt.Errorf("%w: %w", ErrPaymentFailed, err))
		}
	}()
}

// BookWithin is [BookAsync] with a time limit: a payment still running after limit is
// cancelled, and done gets StatusCancelled and [context.DeadlineExceeded]. The limit's timer
// is released as soon as the booking ends, whichever way it ends.
func BookWithin(ctx context.Context, id string, b Booking, pay Payer, limit time.Duration,
	done func(Result, error)) {
	ctx, cancel := context.WithTimeout(ctx, limit)
	BookAsync(ctx, id, b, pay, func(r Result, err error) {
		cancel()
		done(r, err)
	})
}

// BookAll books every booking at the same time, each on its own goroutine, with the ids
// "BK-1", "BK-2", ... in order. It calls done(i, result, err) once for bookings[i], possibly
// from many goroutines at once, and returns only after every call of done has returned.
func BookAll(ctx context.Context, bookings []Booking, pay Payer,
	done func(i int, r Result, err error)) {
	var wg sync.WaitGroup
	wg.Add(len(bookings))
	for i, b := range bookings {
		BookAsync(ctx, fmt.Sprintf("BK-%d", i+1), b, pay, func(r Result, err error) {
			defer wg.Done()
			done(i, r, err)
		})
	}
	wg.Wait()
}

// Tally counts booking outcomes. Its Record method can be used as a callback from many
// goroutines at once. The zero Tally is ready to use.
type Tally struct {
	mu        sync.Mutex
	confirmed int
	failed    int
}

// Record counts one outcome: confirmed when err is nil, failed otherwise.
func (t *Tally) Record(_ Result, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err != nil {
		t.failed++
		return
	}
	t.confirmed++
}

// Counts reports the outcomes recorded so far.
func (t *Tally) Counts() (confirmed, failed int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.confirmed, t.failed
}
