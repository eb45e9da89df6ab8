// Package channels is lesson 4 of callbacklab: completion delivered on channels. A callback
// API becomes a channel API (and back); a result channel with a buffer of one lets the sender
// finish even when nobody reads; select waits with a timeout; and many bookings fan out to a
// bounded number of workers and fan back in.
package channels

import (
	"context"
	"errors"
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
	// Your code here: make the channel, start book with a done that sends on it.
	return nil
}

// Await waits for one Outcome on ch, for at most timeout. It returns [ErrTimeout] when the
// time is up and ctx's error when ctx ends first.
func Await(ctx context.Context, ch <-chan Outcome, timeout time.Duration) (Outcome, error) {
	// Your code here: a select with three cases.
	return Outcome{}, nil
}

// BookAll books every booking with book, with at most limit bookings in flight at once (a
// limit below one counts as one), and returns their outcomes in the order of bookings.
func BookAll(ctx context.Context, book BookFunc, bookings []Booking, limit int) []Outcome {
	// Your code here: fan out with a bound on concurrency, then fan the outcomes back in.
	return nil
}

// ToCallback turns a channel API back into a callback API: it returns at once and, on a
// goroutine of its own, calls done exactly once, with the Outcome received on ch, or with
// ctx's error if ctx ends first. The goroutine never outlives ctx.
func ToCallback(ctx context.Context, ch <-chan Outcome, done func(Result, error)) {
	// Your code here.
}
