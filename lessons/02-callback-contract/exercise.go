// Package contract is lesson 2 of callbacklab: the promises a callback API makes. The booking
// desk calls back exactly once on every path (early returns and panics included), reports
// errors through the callback, never calls back while holding its lock, and says on which
// goroutine the callback runs.
package contract

import (
	"errors"
	"sync"
)

// Status is where a booking stands.
type Status string

// The statuses a booking can end in.
const (
	StatusConfirmed     Status = "confirmed"
	StatusSoldOut       Status = "sold out"
	StatusPaymentFailed Status = "payment failed"
)

// Booking is the part of the travel site's booking form that the desk needs.
type Booking struct {
	Name  string
	Email string
	From  string
	To    string
	Date  string
}

// Result is the outcome of one booking: its id (empty when no seat was taken) and its status.
type Result struct {
	ID     string
	Status Status
}

// ErrSoldOut is reported when the train has no seat left.
var ErrSoldOut = errors.New("contract: sold out")

// ErrPaymentFailed is reported, wrapping the payment's own error, when the charge fails.
var ErrPaymentFailed = errors.New("contract: payment failed")

// ErrPaymentPanicked is reported when the charge function panics.
var ErrPaymentPanicked = errors.New("contract: payment panicked")

// Desk sells the seats of one train. It is safe for use by many goroutines at once.
type Desk struct {
	mu     sync.Mutex // guards seats and issued
	seats  int        // seats left
	issued int        // booking ids handed out so far
	charge func(Booking) error
}

// NewDesk returns a desk with the given number of seats that takes payment with charge.
// charge may be slow, may fail and may even panic.
func NewDesk(seats int, charge func(Booking) error) *Desk {
	return &Desk{seats: seats, charge: charge}
}

// Seats reports how many seats are left.
func (d *Desk) Seats() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.seats
}

// Book sells one seat for b and reports the outcome to done.
//
// The contract: done is called exactly once, on the goroutine that called Book, before Book
// returns; never while the desk's lock is held. A seat is taken and given the id "BK-n"
// (n counts ids handed out by this desk), then charge runs, outside the lock. Outcomes:
//   - confirmed: done(Result{ID, StatusConfirmed}, nil);
//   - no seat left: done(Result{Status: StatusSoldOut}, ErrSoldOut), without charging;
//   - charge fails: the seat is given back and done gets StatusPaymentFailed and an error
//     wrapping both [ErrPaymentFailed] and charge's error;
//   - charge panics: the seat is given back and done gets StatusPaymentFailed and an error
//     wrapping [ErrPaymentPanicked].
//
// If done itself panics, Book does not call it again: the panic goes on to Book's caller.
func (d *Desk) Book(b Booking, done func(Result, error)) {
	// Your code here: take a seat under d.mu, charge outside the lock, and call done
	// exactly once on every path. Small helper methods make this easier to get right.
}
