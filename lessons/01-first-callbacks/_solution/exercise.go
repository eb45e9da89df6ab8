// Package callbacks is lesson 1 of callbacklab: functions as values, a function handed over to
// run when work finishes, closures that remember state, and callbacks that receive both a
// result and an error.
package callbacks

import (
	"errors"
	"fmt"
	"strconv"
)

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
	n := 0
	return func() string {
		n++
		return prefix + "-" + strconv.Itoa(n)
	}
}

// BookTicket checks the booking form b and reports the outcome by calling done exactly once:
// with a Confirmation whose ID comes from nextID, or with an error wrapping
// [ErrMissingField] (naming the field) or [ErrSameStation]. A rejected booking does not use
// up an id.
func BookTicket(b Booking, nextID func() string, done func(Confirmation, error)) {
	required := []struct{ name, value string }{
		{"name", b.Name},
		{"email", b.Email},
		{"from", b.From},
		{"to", b.To},
		{"date", b.Date},
	}
	for _, f := range required {
		if f.value == "" {
			done(Confirmation{}, fmt.Errorf("%w: %s", ErrMissingField, f.name))
			return
		}
	}
	if b.From == b.To {
		done(Confirmation{}, fmt.Errorf("%w: %q", ErrSameStation, b.From))
		return
	}
	done(Confirmation{ID: nextID(), Booking: b}, nil)
}

// Tally returns two functions that share one count: record, a callback with the same shape
// as BookTicket's done, which counts each outcome as confirmed (nil error) or failed; and
// counts, which reports the totals so far. Each call to Tally starts a new count at zero.
func Tally() (record func(Confirmation, error), counts func() (confirmed, failed int)) {
	var ok, bad int
	record = func(_ Confirmation, err error) {
		if err != nil {
			bad++
			return
		}
		ok++
	}
	counts = func() (int, int) {
		return ok, bad
	}
	return record, counts
}
