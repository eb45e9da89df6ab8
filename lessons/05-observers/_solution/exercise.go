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
	mu     sync.Mutex
	subs   map[*subscriber]bool
	closed bool
	wg     sync.WaitGroup // one per subscriber goroutine
}

// NewFeed returns an open feed with no subscribers.
func NewFeed() *Feed {
	return &Feed{subs: map[*subscriber]bool{}}
}

// Subscribe adds fn as a subscriber: fn receives every event published after Subscribe
// returns, on a goroutine of its own. The returned unsubscribe function removes it: events
// published after unsubscribe returns are not delivered, and events still queued are dropped.
// unsubscribe may be called more than once, and from inside fn. Subscribing to a closed feed
// delivers nothing.
func (f *Feed) Subscribe(fn func(Event)) (unsubscribe func()) {
	s := &subscriber{fn: fn, wake: make(chan struct{}, 1)}

	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return func() {}
	}
	f.subs[s] = true
	f.wg.Go(s.run)

	return func() {
		f.mu.Lock()
		delete(f.subs, s)
		f.mu.Unlock()
		s.stop(true)
	}
}

// Publish queues e for every current subscriber and returns at once. Publishing on a closed
// feed does nothing.
func (f *Feed) Publish(e Event) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return
	}
	for s := range f.subs {
		s.push(e)
	}
}

// Close closes the feed: every subscriber receives the events already queued for it, then its
// goroutine ends. Close returns when all of them have ended. Calling Close again does nothing.
func (f *Feed) Close() {
	f.mu.Lock()
	f.closed = true
	for s := range f.subs {
		s.stop(false)
	}
	clear(f.subs)
	f.mu.Unlock()

	f.wg.Wait()
}

// subscriber is one subscriber's queue and the state of its goroutine.
type subscriber struct {
	fn   func(Event)
	wake chan struct{} // holds a token when the queue or the state changed

	mu      sync.Mutex
	queue   []Event
	closing bool // deliver what is queued, then end
	dropped bool // end now, delivering nothing more
}

// push queues e and wakes the goroutine. It never blocks.
func (s *subscriber) push(e Event) {
	s.mu.Lock()
	s.queue = append(s.queue, e)
	s.mu.Unlock()
	s.signal()
}

// stop asks the goroutine to end: at once when drop is true, after the queue otherwise.
func (s *subscriber) stop(drop bool) {
	s.mu.Lock()
	s.closing = true
	s.dropped = s.dropped || drop
	s.mu.Unlock()
	s.signal()
}

func (s *subscriber) signal() {
	select {
	case s.wake <- struct{}{}:
	default: // a token is already waiting
	}
}

// run delivers the queued events one at a time, in order, until it is stopped.
func (s *subscriber) run() {
	for {
		s.mu.Lock()
		switch {
		case s.dropped, s.closing && len(s.queue) == 0:
			s.mu.Unlock()
			return
		case len(s.queue) == 0:
			s.mu.Unlock()
			<-s.wake
			continue
		}
		e := s.queue[0]
		s.queue = s.queue[1:]
		s.mu.Unlock()

		s.fn(e) // never under the lock: fn may call unsubscribe
	}
}
