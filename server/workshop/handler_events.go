package workshop

import (
	"fmt"
	"net/http"
	"time"
)

// writeTimeout bounds one write to an event stream, so a page that stopped reading does not
// hold the server.
const writeTimeout = 10 * time.Second

// serveEvents streams the room's view to an instructor's page as server-sent events: an
// event "room" with the whole view after every change (at most one per interval), and an
// event "now" with the server's time as a keep-alive, so the page can count time spent
// without trusting its own clock.
func (h *Handler) serveEvents(w http.ResponseWriter, r *http.Request) {
	if !h.addStream() {
		writeError(w, http.StatusServiceUnavailable, "too many instructor pages are open; "+
			"close some and reload")
		return
	}
	defer h.removeStream()

	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	send := func(format string, args ...any) bool {
		_ = rc.SetWriteDeadline(time.Now().Add(writeTimeout))
		if _, err := fmt.Fprintf(w, format, args...); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !send("retry: 2000\n\n") {
		return
	}

	keep := time.NewTicker(h.keep)
	defer keep.Stop()
	var sent uint64
	for {
		// Send the view if it changed, then wait out the interval so a busy room costs each
		// page at most one view per interval.
		if ver, _ := h.room.Changed(); ver != sent {
			b, v := h.room.ViewJSON()
			if !send("event: room\ndata: %s\n\n", b) {
				return
			}
			sent = v
			pause := time.NewTimer(h.interval)
			select {
			case <-pause.C:
			case <-r.Context().Done():
				pause.Stop()
				return
			case <-h.closing:
				pause.Stop()
				return
			}
			continue
		}

		ver, changed := h.room.Changed()
		if ver != sent {
			continue
		}
		select {
		case <-changed:
		case <-keep.C:
			if !send("event: now\ndata: %q\n\n", time.Now().UTC().Format(time.RFC3339)) {
				return
			}
		case <-r.Context().Done():
			return
		case <-h.closing:
			return
		}
	}
}

func (h *Handler) addStream() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed || h.streams >= maxEventStreams {
		return false
	}
	h.streams++
	return true
}

func (h *Handler) removeStream() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.streams--
}
