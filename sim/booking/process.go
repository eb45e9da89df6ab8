package booking

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"callbacklab/sim/trace"
)

// Event is the payload of a callback, in the shape the Standard Webhooks
// specification recommends: a type, a timestamp and the data.
type Event struct {
	Type      string    `json:"type"` // booking.confirmed, booking.payment_failed, ...
	Timestamp time.Time `json:"timestamp"`
	Data      EventData `json:"data"`
}

// EventData describes the booking an [Event] is about.
type EventData struct {
	BookingID string  `json:"booking_id"`
	Status    Outcome `json:"status"`
	Reason    string  `json:"reason,omitempty"`
	From      string  `json:"from"`
	To        string  `json:"to"`
	Date      string  `json:"date"`
	Time      string  `json:"time"`
}

// add stores a new booking and starts its work.
func (s *Service) add(c Client, req Request, journey string) (Booking, error) {
	id, err := s.newID("bk_")
	if err != nil {
		return Booking{}, err
	}
	msgID, err := s.newID("msg_")
	if err != nil {
		return Booking{}, err
	}
	b := &Booking{
		ID: id, ClientID: c.ID, Request: req, Status: StatusPending,
		Created: s.cfg.Now(), Journey: journey,
		Delivery: Delivery{MessageID: msgID, State: StatePending},
	}

	s.mu.Lock()
	s.bookings[id] = b
	s.byMessage[msgID] = id
	s.order = append(s.order, id)
	s.forgetOld()
	s.work.Add(1)
	out := copyBooking(b)
	s.mu.Unlock()

	go s.process(c, id)
	return out, nil
}

// forgetOld drops the oldest finished bookings beyond MaxBookings. s.mu must
// be held.
func (s *Service) forgetOld() {
	for i := 0; len(s.order) > s.cfg.MaxBookings && i < len(s.order); {
		b := s.bookings[s.order[i]]
		if b.Delivery.State == StatePending {
			i++
			continue
		}
		delete(s.bookings, b.ID)
		delete(s.byMessage, b.Delivery.MessageID)
		s.order = append(s.order[:i], s.order[i+1:]...)
	}
}

// process reserves a seat, takes payment and delivers the outcome.
func (s *Service) process(c Client, id string) {
	defer s.work.Done()
	b, _ := s.Booking(id)
	ctx := trace.WithJourney(s.ctx, b.Journey)

	// Seat, then payment; each step takes the configured delay.
	outcome, reason := s.decide(b.Request)
	seated := s.sleep(ctx)
	if !seated || !s.sleep(ctx) {
		outcome, reason = PaymentFailed, "book_ticket shut down before payment"
	}
	s.update(id, func(b *Booking) { b.Status, b.Reason = outcome, reason })

	// Deliver the outcome, or record at once that the endpoint is disabled.
	body, _ := json.Marshal(Event{
		Type: "booking." + string(outcome), Timestamp: s.cfg.Now().UTC(),
		Data: EventData{
			BookingID: id, Status: outcome, Reason: reason,
			From: b.Request.From, To: b.Request.To, Date: b.Request.Date, Time: b.Request.Time,
		},
	})
	msg := Message{ID: b.Delivery.MessageID, URL: b.Request.CallbackURL, Body: body}
	s.mu.Lock()
	gone, duplicate := s.disabled[msg.URL], s.duplicate
	s.mu.Unlock()
	if gone {
		s.update(id, func(b *Booking) {
			b.Delivery.State = StateDisabled
			b.Delivery.Attempts = append(b.Delivery.Attempts, Attempt{
				Time: s.cfg.Now(), Error: "endpoint disabled after an earlier 410 Gone",
			})
		})
		return
	}
	if d := s.deliver(ctx, c, msg); d.State == StateDelivered && duplicate {
		s.deliver(ctx, c, msg)
	}
}

// deliver sends one message with the client's secret and records the final
// state.
func (s *Service) deliver(ctx context.Context, c Client, msg Message) Delivery {
	signer, _ := NewSigner(c.Secret) // checked by New
	sender := *s.sender
	sender.Signer = signer
	d := sender.Deliver(ctx, msg)

	s.mu.Lock()
	defer s.mu.Unlock()
	if b, ok := s.bookings[s.byMessage[msg.ID]]; ok {
		b.Delivery.State = d.State
	}
	if d.State == StateDisabled {
		s.disabled[msg.URL] = true
	}
	return d
}

// recordAttempt adds an attempt to its booking while the delivery runs.
func (s *Service) recordAttempt(msg Message, a Attempt) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b, ok := s.bookings[s.byMessage[msg.ID]]; ok {
		b.Delivery.Attempts = append(b.Delivery.Attempts, a)
	}
}

// decide picks the outcome: the forced one, or the rules on the input.
func (s *Service) decide(req Request) (Outcome, string) {
	s.mu.Lock()
	forced := s.outcome
	s.mu.Unlock()

	soldOut := strings.EqualFold(strings.TrimSpace(req.To), "Atlantis")
	declined := strings.HasPrefix(strings.ToLower(req.Email), "decline")
	switch {
	case forced == SoldOut || forced == "" && soldOut:
		return SoldOut, "no seats are left from " + req.From + " to " + req.To + " on " + req.Date
	case forced == PaymentFailed || forced == "" && declined:
		return PaymentFailed, "the card was declined"
	}
	return Confirmed, ""
}

// sleep waits for one step; it reports false when the service closes first.
func (s *Service) sleep(ctx context.Context) bool {
	if s.cfg.Delay < 0 {
		return true
	}
	t := time.NewTimer(s.cfg.Delay)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// update changes a booking under the lock.
func (s *Service) update(id string, f func(*Booking)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b, ok := s.bookings[id]; ok {
		f(b)
	}
}
