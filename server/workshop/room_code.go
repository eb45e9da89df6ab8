package workshop

import "time"

// NewCodeOptions says whom [Room.NewCode] removes along with the old code.
type NewCodeOptions struct {
	// IdleFor, when positive, removes the learners who have not reported for that long.
	IdleFor time.Duration
	// Addr, when not empty, removes every learner who joined from that network address.
	Addr string
}

// NewCode gives the room a fresh join code, so that whoever had the old one cannot join any
// more, and removes the learners opts names, as [Room.Remove] does. It returns the new code
// and the ids of the learners removed. Learners who stay keep reporting with their tokens.
func (r *Room) NewCode(opts NewCodeOptions) (code string, removed []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	code = newCode()
	for code == r.st.Code {
		code = newCode()
	}
	r.st.Code = code
	now := r.now()
	for id, l := range r.st.Learners {
		idle := opts.IdleFor > 0 && now.Sub(l.LastSeen) >= opts.IdleFor
		if idle || (opts.Addr != "" && l.Addr == opts.Addr) {
			delete(r.st.Learners, id)
			r.st.Removed[id] = true
			removed = append(removed, id)
		}
	}
	r.changedLocked()
	return code, removed
}
