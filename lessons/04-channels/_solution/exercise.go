// Package channels is lesson 4 of callbacklab: completion delivered on channels. A callback
// API becomes a channel API (and back); a result channel with a buffer of one lets the sender
// finish even when nobody reads; select waits with a timeout; and many bookings fan out to a
// bounded number of workers and fan back in.
package channels

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Status is where a booking stands.
type Status string

// The statuses a booking can end in.
const (
	StatusConfirmed     Status = "confirmed"
	StatusPaymentFailed Status = "payment failed"
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

// Outcome is what travels on a channel: the Result and the error a callback would receive.
type Outcome struct {
	Result Result
	Err    error
}

// BookFunc is a callback-style booking service. It starts booking b and returns at once; later,
// on a goroutine of its own, it calls done exactly once.
type BookFunc func(ctx context.Context, b Booking, done func(Result, error))

// ErrTimeout is returned by [Await] when no outcome arrived in time.
var ErrTimeout = errors.New("channels: no outcome in time")

// Start turns the callback API book into a channel API: it starts booking b and returns a
// channel that receives the booking's one Outcome. The channel has a buffer of one, so the
// service's callback never blocks, even when nobody ever reads the channel.
func Start(ctx context.Context, book BookFunc, b Booking) <-chan Outcome {
	ch := make(chan Outcome, 1)
	book(ctx, b, func(r Result, err error) {
		ch <- Outcome{Result: r, Err: err}
	})
	return ch
}

// Await waits for one Outcome on ch, for at most timeout. It returns [ErrTimeout] when the
// time is up and ctx's error when ctx ends first.
func Await(ctx context.Context, ch <-chan Outcome, timeout time.Duration) (Outcome, error) {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case o := <-ch:
		return o, nil
	case <-timer.C:
		return Outcome{}, ErrTimeout
	case <-ctx.Done():
		return Outcome{}, ctx.Err()
	}
}

// BookAll books every booking with book, with at most limit bookings in flight at once (a
// limit below one counts as one), and returns their outcomes in the order of bookings.
func BookAll(ctx context.Context, book BookFunc, bookings []Booking, limit int) []Outcome {
	type numbered struct {
		i int
		o Outcome
	}
	results := make(chan numbered, len(bookings)) // room for all: no sender ever waits
	slots := make(chan struct{}, max(limit, 1))   // one token per booking in flight

	// Fan out: take a slot before starting each booking, give it back when it ends.
	var wg sync.WaitGroup
	for i, b := range bookings {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			results <- numbered{i: i, o: <-Start(ctx, book, b)}
		})
	}
	wg.Wait()
	close(results)

	// Fan in: put each outcome back at its booking's place.
	out := make([]Outcome, len(bookings))
	for n := range results {
		out[n.i] = n.o
	}
	return out
}

// ToCallback turns a channel API back into a callback API: it returns at once and, on a
// goroutine of its own, calls done exactly once, with the Outcome received on ch, or with
// ctx's error if ctx ends first. The goroutine never outlives ctx.
func ToCallback(ctx context.Context, ch <-chan Outcome, done func(Result, error)) {
	go func() {
		select {
		case o := <-ch:
			done(o.Result, o.Err)
		case <-ctx.Done():
			done(Result{}, ctx.Err())
		}
	}()
}
