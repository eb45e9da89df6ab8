package travel

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// keepAlive is how often an idle event stream gets a comment line.
const keepAlive = 25 * time.Second

// hub fans booking updates out to each user's open event streams.
type hub struct {
	mu   sync.Mutex
	subs map[string]map[chan Booking]bool
}

func newHub() *hub { return &hub{subs: map[string]map[chan Booking]bool{}} }

func (h *hub) subscribe(user string) chan Booking {
	c := make(chan Booking, 16)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs[user] == nil {
		h.subs[user] = map[chan Booking]bool{}
	}
	h.subs[user][c] = true
	return c
}

func (h *hub) unsubscribe(user string, c chan Booking) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.subs[user], c)
	if len(h.subs[user]) == 0 {
		delete(h.subs, user)
	}
}

// publish never blocks: a stream that is 16 updates behind misses some and
// shows the full state when it reconnects.
func (h *hub) publish(user string, b Booking) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.subs[user] {
		select {
		case c <- b:
		default:
		}
	}
}

// update is the data of one "booking" event.
type update struct {
	ID      string `json:"id"`
	Status  string `json:"status"`
	Message string `json:"message"`
}

// handleEvents streams the signed-in traveller's booking updates: first the
// current state of every booking (so nothing is missed while connecting),
// then each change as it happens.
func (s *Site) handleEvents(w http.ResponseWriter, r *http.Request) {
	u, ok := s.user(r)
	if !ok {
		writeError(w, http.StatusUnauthorized, "sign in to follow your bookings")
		return
	}
	rc := http.NewResponseController(w)
	c := s.hub.subscribe(u.key())
	defer s.hub.unsubscribe(u.key(), c)

	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	for _, b := range s.Bookings(u.key()) {
		writeEvent(w, b)
	}
	if err := rc.Flush(); err != nil {
		return
	}

	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.ctx.Done():
			return
		case <-tick.C:
			fmt.Fprint(w, ": keep-alive\n\n")
		case b := <-c:
			writeEvent(w, b)
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}

func writeEvent(w http.ResponseWriter, b Booking) {
	data, _ := json.Marshal(update{ID: b.ID, Status: string(b.Status), Message: b.Message()})
	fmt.Fprintf(w, "event: booking\ndata: %s\n\n", data)
}
