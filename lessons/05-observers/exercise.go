// Package observers is lesson 5 of callbacklab: one event, many callbacks. A feed of booking
// status changes delivers each change to every subscriber; subscribers can leave; a slow
// subscriber never holds up the others; and the feed states which order it keeps.
package observers

import "sync"

// Status is where a booking stands.
type Status string

// The statuses a booking goes through.
const (
	StatusPending       Status = "pending"
	StatusConfirmed     Status = "confirmed"
	StatusPaymentFailed Status = "payment failed"
	StatusSoldOut       Status = "sold out"
)

// Event is one change of a booking's status.
type Event struct {
	BookingID string
	Status    Status
}

// Feed delivers booking status changes to its subscribers. It is safe for use by many
// goroutines at once.
//
// Each subscriber has its own goroutine and its own queue, so Publish never waits for a
// subscriber and a slow subscriber delays nobody but itself. Order: every subscriber receives
// the events in the order Publish was called, one at a time; nothing is promised about the
// order between two subscribers.
type Feed struct {
	mu sync.Mutex // Your fields here: the subscribers, and what you need to stop them.
}

// NewFeed returns an open feed with no subscribers.
func NewFeed() *Feed {
	return &Feed{}
}

// Subscribe adds fn as a subscriber: fn receives every event published after Subscribe
// returns, on a goroutine of its own. The returned unsubscribe function removes it: events
// published after unsubscribe returns are not delivered, and events still queued are dropped.
// unsubscribe may be called more than once, and from inside fn. Subscribing to a closed feed
// delivers nothing.
func (f *Feed) Subscribe(fn func(Event)) (unsubscribe func()) {
	// Your code here: start the subscriber's goroutine and return a way to stop it.
	return func() {}
}

// Publish queues e for every current subscriber and returns at once. Publishing on a closed
// feed does nothing.
func (f *Feed) Publish(e Event) {
	// Your code here: hand e to every subscriber's queue, never waiting for a subscriber.
}

// Close closes the feed: every subscriber receives the events already queued for it, then its
// goroutine ends. Close returns when all of them have ended. Calling Close again does nothing.
func (f *Feed) Close() {
	// Your code here.
}
