package workshop

import (
	"errors"
	"fmt"
	"maps"
	"strconv"
	"sync"
	"time"
)

// Lesson is one lesson of the workshop, as the room needs to know it.
type Lesson struct {
	// Number is the lesson's number.
	Number int `json:"number"`
	// Title is the lesson's title.
	Title string `json:"title"`
	// Hints is how many hint tiers the lesson has; unlocking stops there.
	Hints int `json:"hints"`
}

// MaxLearners is how many people one room holds.
const MaxLearners = 500

// DefaultLearnersPerAddr is how many people may join from one network address by default: a
// machine in the room runs one or two reporters, and a few addresses must not fill the room.
const DefaultLearnersPerAddr = 3

// Errors the room returns; the handler maps each to a status code and a clear message.
var (
	// ErrBadCode means a join carried a code that is not the room's.
	ErrBadCode = errors.New("workshop: wrong join code")
	// ErrUnknownLearner means a report carried a token the room does not know.
	ErrUnknownLearner = errors.New("workshop: unknown learner token")
	// ErrRemoved means the instructor removed the learner whose token a report carried.
	ErrRemoved = errors.New("workshop: removed by the instructor")
	// ErrRoomFull means the room already holds MaxLearners people.
	ErrRoomFull = errors.New("workshop: the room is full")
	// ErrAddrFull means the most people one address may hold already joined from it.
	ErrAddrFull = errors.New("workshop: too many learners from one address")
)

// roomState is the part of the room that is saved to the state file.
type roomState struct {
	Version         int                 `json:"version"`
	Code            string              `json:"code"`
	InstructorToken string              `json:"instructorToken"`
	Created         time.Time           `json:"created"`
	Learners        map[string]*learner `json:"learners"`
	Unlocked        map[int]Unlock      `json:"unlocked"`
	// Removed holds the ids of learners the instructor removed, so that their reporters
	// stop instead of joining again by themselves.
	Removed map[string]bool `json:"removed,omitempty"`
}

// stateVersion is the version of the state file's format.
const stateVersion = 1

// learner is one person in the room.
type learner struct {
	ID        string                  `json:"id"`
	Name      string                  `json:"name"`
	TokenHash string                  `json:"tokenHash"`
	Addr      string                  `json:"addr,omitempty"` // where the learner joined from
	Joined    time.Time               `json:"joined"`
	LastSeen  time.Time               `json:"lastSeen"`
	Lessons   map[int]*lessonProgress `json:"lessons"`
}

// lessonProgress is what the room knows of one learner on one lesson.
type lessonProgress struct {
	State        State     `json:"state"`
	FirstFailing string    `json:"firstFailing,omitempty"`
	Started      time.Time `json:"started"`         // first report of the lesson
	Changed      time.Time `json:"changed"`         // last change of state or failing test
	DoneAt       time.Time `json:"doneAt,omitzero"` // first time it passed
	At           time.Time `json:"at,omitzero"`     // when the latest run ended
}

// Room is the state of one workshop. It is safe for concurrent use.
type Room struct {
	now     func() time.Time
	lessons []Lesson

	mu       sync.Mutex
	st       roomState
	version  uint64        // bumped on every change
	changed  chan struct{} // closed and replaced on every change
	viewVer  uint64        // version viewJSON was made from
	viewJSON []byte
}

// NewRoom returns a room for lessons with a fresh join code and instructor token. now is the
// clock; nil means time.Now.
func NewRoom(lessons []Lesson, now func() time.Time) *Room {
	r := newRoom(lessons, now)
	r.st = roomState{
		Version:         stateVersion,
		Code:            newCode(),
		InstructorToken: newSecret(),
		Created:         r.now(),
		Learners:        map[string]*learner{},
		Unlocked:        map[int]Unlock{},
		Removed:         map[string]bool{},
	}
	return r
}

func newRoom(lessons []Lesson, now func() time.Time) *Room {
	if now == nil {
		now = time.Now
	}
	return &Room{now: now, lessons: lessons, changed: make(chan struct{}), version: 1}
}

// Code returns the join code.
func (r *Room) Code() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.st.Code
}

// InstructorToken returns the token that opens the instructor's page.
func (r *Room) InstructorToken() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.st.InstructorToken
}

// CheckInstructor reports whether tok is the instructor token, comparing in constant time.
func (r *Room) CheckInstructor(tok string) bool {
	return tok != "" && equalSecret(tok, r.InstructorToken())
}

// Join adds a learner called name if code is the room's, and returns the learner's id, the
// token that authenticates their reports, and the name as the room shows it (a number is
// added when the name is already taken).
func (r *Room) Join(code, name string) (id, token, shown string, err error) {
	return r.JoinFrom(code, name, "", 0)
}

// JoinFrom is [Room.Join] for a learner at the network address addr: at most perAddr
// learners may join from one address (ErrAddrFull); perAddr zero means no limit.
func (r *Room) JoinFrom(code, name, addr string,
	perAddr int) (id, token, shown string, err error) {
	name, err = CleanName(name)
	if err != nil {
		return "", "", "", err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !equalSecret(normalizeCode(code), r.st.Code) {
		return "", "", "", ErrBadCode
	}
	if len(r.st.Learners) >= MaxLearners {
		return "", "", "", ErrRoomFull
	}
	if perAddr > 0 {
		n := 0
		for _, l := range r.st.Learners {
			if l.Addr == addr {
				n++
			}
		}
		if n >= perAddr {
			return "", "", "", ErrAddrFull
		}
	}

	shown = r.uniqueName(name)
	id, secret := newID(), newSecret()
	now := r.now()
	r.st.Learners[id] = &learner{
		ID: id, Name: shown, TokenHash: hashSecret(secret), Addr: addr,
		Joined: now, LastSeen: now, Lessons: map[int]*lessonProgress{},
	}
	r.changedLocked()
	return id, id + "." + secret, shown, nil
}

// uniqueName returns name, or name with " (2)", " (3)"... when someone already has it or a
// name that reads the same (see nameKey).
func (r *Room) uniqueName(name string) string {
	taken := map[string]bool{}
	for _, l := range r.st.Learners {
		taken[nameKey(l.Name)] = true
	}
	if !taken[nameKey(name)] {
		return name
	}
	for i := 2; ; i++ {
		if n := fmt.Sprintf("%s (%d)", name, i); !taken[nameKey(n)] {
			return n
		}
	}
}

// Authenticate returns the id of the learner whose token is tok.
func (r *Room) Authenticate(tok string) (string, error) {
	id, secret, ok := splitToken(tok)
	if !ok {
		return "", ErrUnknownLearner
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.st.Removed[id] {
		return "", ErrRemoved
	}
	l, ok := r.st.Learners[id]
	if !ok || !equalSecret(hashSecret(secret), l.TokenHash) {
		return "", ErrUnknownLearner
	}
	return id, nil
}

// Report records a learner's status and returns what is unlocked for everyone. Lessons the
// room does not have are ignored, so a learner on a newer callbacklab can still report.
func (r *Room) Report(id string, s Status) (Unlocks, error) {
	if err := s.validate(); err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	l, ok := r.st.Learners[id]
	if !ok {
		return nil, ErrUnknownLearner
	}
	now := r.now()
	l.LastSeen = now
	for _, ls := range s.Lessons {
		if !r.hasLesson(ls.Lesson) {
			continue
		}
		r.recordLocked(l, ls, now)
	}
	// Every report changes LastSeen, which the page shows as online or offline.
	r.changedLocked()
	return r.unlocksLocked(), nil
}

// recordLocked records one lesson's status for learner l.
func (r *Room) recordLocked(l *learner, ls LessonStatus, now time.Time) {
	at := ls.At
	if at.IsZero() || at.After(now) || at.Before(l.Joined) {
		at = now // a learner's clock is not trusted beyond this window
	}
	if ls.State != StateFailing && ls.State != StateTimedOut {
		ls.FirstFailing = ""
	}
	p, ok := l.Lessons[ls.Lesson]
	if !ok {
		p = &lessonProgress{Started: at, Changed: at}
		l.Lessons[ls.Lesson] = p
	} else if p.State != ls.State || p.FirstFailing != ls.FirstFailing {
		p.Changed = at
	}
	p.State, p.FirstFailing, p.At = ls.State, ls.FirstFailing, at
	if ls.State == StateDone && p.DoneAt.IsZero() {
		p.DoneAt = at
	}
}

func (r *Room) hasLesson(n int) bool {
	for _, l := range r.lessons {
		if l.Number == n {
			return true
		}
	}
	return false
}

// Unlock opens, for everyone, the next hint of lesson n (what is "hint") or its solution
// (what is "solution"), and returns what is now unlocked for that lesson.
func (r *Room) Unlock(n int, what string) (Unlock, error) {
	var lesson *Lesson
	for i := range r.lessons {
		if r.lessons[i].Number == n {
			lesson = &r.lessons[i]
		}
	}
	if lesson == nil {
		return Unlock{}, invalid("lesson %d is not part of this workshop", n)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	u := r.st.Unlocked[n]
	switch what {
	case "hint":
		if u.Hints >= lesson.Hints {
			return u, invalid("every hint of lesson %d (%d) is already unlocked", n, lesson.Hints)
		}
		u.Hints++
	case "solution":
		u.Solution = true
	default:
		return u, invalid("cannot unlock %q: unlock a \"hint\" or a \"solution\"", what)
	}
	r.st.Unlocked[n] = u
	r.changedLocked()
	return u, nil
}

// Unlocked returns what is unlocked for everyone.
func (r *Room) Unlocked() Unlocks {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.unlocksLocked()
}

func (r *Room) unlocksLocked() Unlocks {
	u := make(Unlocks, len(r.st.Unlocked))
	for n, v := range r.st.Unlocked {
		u[strconv.Itoa(n)] = v
	}
	return u
}

// Remove takes a learner out of the room. Their token stops working, and their reporter is
// told so and stops sharing; the learner may join again by running the command again.
func (r *Room) Remove(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.st.Learners[id]; !ok {
		return false
	}
	delete(r.st.Learners, id)
	r.st.Removed[id] = true
	r.changedLocked()
	return true
}

// Changed returns the room's version and a channel that is closed at the next change.
func (r *Room) Changed() (uint64, <-chan struct{}) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.version, r.changed
}

// changedLocked records a change and wakes everyone waiting on Changed.
func (r *Room) changedLocked() {
	r.version++
	close(r.changed)
	r.changed = make(chan struct{})
}

// snapshot returns a deep copy of the saved state and its version.
func (r *Room) snapshot() (roomState, uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	st := r.st
	st.Unlocked = maps.Clone(r.st.Unlocked)
	st.Removed = maps.Clone(r.st.Removed)
	st.Learners = make(map[string]*learner, len(r.st.Learners))
	for id, l := range r.st.Learners {
		c := *l
		c.Lessons = make(map[int]*lessonProgress, len(l.Lessons))
		for n, p := range l.Lessons {
			pc := *p
			c.Lessons[n] = &pc
		}
		st.Learners[id] = &c
	}
	return st, r.version
}

func itoa(n int) string { return strconv.Itoa(n) }
