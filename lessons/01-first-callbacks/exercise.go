// Package callbacks is lesson 1 of callbacklab: functions as values, a function handed over to
// run when work finishes, closures that remember state, and callbacks that receive both a
// result and an error.
package callbacks

import "errors"

// Booking is what a traveller typed into the travel site's booking form.
type Booking struct {
	Name       string
	Email      string
	Phone      string
	From       string
	To         string
	Date       string
	Time       string
	TicketType string
}

// Confirmation is what the booking desk hands back when it accepts a booking.
type Confirmation struct {
	// ID is the booking id, such as "BK-1".
	ID string
	// Booking is the booking that was accepted.
	Booking Booking
}

// ErrMissingField is reported when a required field of the booking form is empty.
var ErrMissingField = errors.New("callbacks: missing field")

// ErrSameStation is reported when a booking goes from a station to the same station.
var ErrSameStation = errors.New("callbacks: from and to are the same station")

// NewIDSource returns a function that hands out booking ids "prefix-1", "prefix-2", and so
// on, one per call. Each source counts on its own.
func NewIDSource(prefix string) func() string {
	// Your code here: return a closure that remembers how many ids it has handed out.
	return func() string { return "" }
}

// BookTicket checks the booking form b and reports the outcome by calling done exactly once:
// with a Confirmation whose ID comes from nextID, or with an error wrapping
// [ErrMissingField] (naming the field) or [ErrSameStation]. A rejected booking does not use
// up an id.
func BookTicket(b Booking, nextID func() string, done func(Confirmation, error)) {
	// Your code here: check b, then call done exactly once.
}

// Tally returns two functions that share one count: record, a callback with the same shape
// as BookTicket's done, which counts each outcome as confirmed (nil error) or failed; and
// counts, which reports the totals so far. Each call to Tally starts a new count at zero.
func Tally() (record func(Confirmation, error), counts func() (confirmed, failed int)) {
	// Your code here: share two counters between the two closures.
	record = func(Confirmation, error) {}
	counts = func() (int, int) { return 0, 0 }
	return record, counts
}
