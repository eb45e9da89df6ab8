package travel

import (
	"net/http"
	"time"
)

// The site's cookies; all are HttpOnly and SameSite=Lax.
const (
	sessionCookie = "travel_session"
	stateCookie   = "travel_state"
	draftCookie   = "travel_draft"
)

// sessionLifetime is how long a sign-in lasts.
const sessionLifetime = 12 * time.Hour

// User is a signed-in traveller.
type User struct {
	Provider string // "google" or "facebook"
	Subject  string // the provider's stable user id
	Name     string
	Email    string
}

// key identifies the user across sessions.
func (u User) key() string { return u.Provider + ":" + u.Subject }

type session struct {
	user    User
	expires time.Time
}

// user returns the signed-in user of the request, if any.
func (s *Site) user(r *http.Request) (User, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return User{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.sessions[c.Value]
	if !ok || s.cfg.Now().After(sess.expires) {
		delete(s.sessions, c.Value)
		return User{}, false
	}
	return sess.user, true
}

// startSession signs the user in with a new session id, so that an id
// planted before sign-in is never promoted (session fixation).
func (s *Site) startSession(w http.ResponseWriter, u User) error {
	sid, err := s.random(24)
	if err != nil {
		return err
	}
	s.mu.Lock()
	if len(s.sessions) >= maxSessions {
		s.pruneSessions()
	}
	s.sessions[sid] = &session{user: u, expires: s.cfg.Now().Add(sessionLifetime)}
	s.mu.Unlock()
	s.setCookie(w, sessionCookie, sid, "/", sessionLifetime)
	return nil
}

// maxSessions is how many sessions the site keeps before it forgets expired
// ones.
const maxSessions = 10_000

// pruneSessions forgets expired sessions. s.mu must be held.
//
// TODO: Sessions that have not expired are never evicted, so a client that
// signs in more than 10,000 times within twelve hours grows the map beyond
// that bound; an LRU would cap it.
func (s *Site) pruneSessions() {
	now := s.cfg.Now()
	for id, sess := range s.sessions {
		if now.After(sess.expires) {
			delete(s.sessions, id)
		}
	}
}

// setCookie sets an HttpOnly, SameSite=Lax cookie; a zero maxAge deletes it.
func (s *Site) setCookie(w http.ResponseWriter, name, value, path string, maxAge time.Duration) {
	c := &http.Cookie{
		Name: name, Value: value, Path: path, HttpOnly: true, Secure: s.secure(),
		SameSite: http.SameSiteLaxMode, MaxAge: int(maxAge / time.Second),
	}
	if maxAge <= 0 {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
}

// handleSignOut ends the session and starts a new journey in the traces.
func (s *Site) handleSignOut(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.mu.Lock()
		delete(s.sessions, c.Value)
		s.mu.Unlock()
	}
	s.setCookie(w, sessionCookie, "", "/", 0)
	s.setCookie(w, "callbacklab_journey", "", "/", 0)
	http.Redirect(w, r, "/travel", http.StatusSeeOther)
}
