package travel

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"callbacklab/sim/booking"
)

// maxSeen bounds the remembered webhook ids; the oldest are forgotten
// first. Retries stop long before that many newer messages arrive.
const maxSeen = 100_000

// handleBookingCallback receives book_ticket's signed outcome. It verifies
// the signature and timestamp, records the webhook-id once, answers at once
// and processes the event afterwards.
func (s *Site) handleBookingCallback(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.stats.Received++
	s.mu.Unlock()

	// Verify before trusting a single byte of the body.
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<10))
	if err != nil {
		s.reject()
		writeError(w, http.StatusRequestEntityTooLarge, "body too large")
		return
	}
	id, err := s.verifier.Verify(r.Header, body)
	if err != nil {
		s.reject()
		status := http.StatusUnauthorized
		if errors.Is(err, booking.ErrMissingHeaders) || errors.Is(err, booking.ErrBadTimestamp) {
			status = http.StatusBadRequest
		}
		writeError(w, status, err.Error())
		return
	}
	var ev booking.Event
	if err := json.Unmarshal(body, &ev); err != nil || ev.Data.BookingID == "" {
		s.reject()
		writeError(w, http.StatusBadRequest, "the event is not a booking event")
		return
	}

	// The simulated outage refuses only genuine deliveries, so that a
	// stranger's unsigned posts cannot use it up.
	s.mu.Lock()
	down := s.down > 0
	if down {
		s.down--
		s.stats.Unavailable++
	}
	s.mu.Unlock()
	if down {
		writeError(w, http.StatusServiceUnavailable, "the receiver is down (simulated)")
		return
	}

	// Exactly once: the first delivery of an id wins, later ones are
	// acknowledged and ignored.
	s.mu.Lock()
	dup := s.seen[id]
	if dup {
		s.stats.Duplicates++
	} else {
		s.remember(id)
		s.stats.Processed++
		s.work.Add(1)
	}
	s.mu.Unlock()
	if dup {
		w.WriteHeader(http.StatusOK)
		return
	}

	// Answer now; the work happens after.
	w.WriteHeader(http.StatusNoContent)
	go func() {
		defer s.work.Done()
		s.apply(ev)
	}()
}

// remember records a processed webhook id. s.mu must be held.
func (s *Site) remember(id string) {
	s.seen[id] = true
	s.seenOrder = append(s.seenOrder, id)
	if len(s.seenOrder) > maxSeen {
		delete(s.seen, s.seenOrder[0])
		s.seenOrder = s.seenOrder[1:]
	}
}

func (s *Site) reject() {
	s.mu.Lock()
	s.stats.Rejected++
	s.mu.Unlock()
}

// apply records an outcome and tells the traveller's open pages.
func (s *Site) apply(ev booking.Event) {
	s.mu.Lock()
	b, ok := s.bookings[ev.Data.BookingID]
	if ok {
		b.Status, b.Reason = ev.Data.Status, ev.Data.Reason
	}
	var copied Booking
	if ok {
		copied = *b
	}
	s.mu.Unlock()
	if ok {
		s.hub.publish(copied.User, copied)
	}
}

// writeError answers a machine caller in RFC 9457 problem details.
func writeError(w http.ResponseWriter, status int, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"type": "about:blank", "title": http.StatusText(status), "status": status,
		"detail": detail,
	})
}
