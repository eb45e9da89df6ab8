package trace

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"slices"
	"sync"
	"time"
	"unicode/utf8"
)

// The participants of the simulated world. Their values are Mermaid-safe
// identifiers; [Label] gives the name shown in a diagram.
const (
	Browser  = "Browser"
	Travel   = "Travel"
	Google   = "Google"
	Facebook = "Facebook"
	Booking  = "Booking"
	Attacker = "Attacker"
)

// Label returns the display name of a participant, such as "Travel site" for
// [Travel]. Unknown participants are shown by their id.
func Label(participant string) string {
	switch participant {
	case Travel:
		return "Travel site"
	case Google:
		return "Google (mock)"
	case Facebook:
		return "Facebook (mock)"
	case Booking:
		return "book_ticket"
	}
	return participant
}

// Hop is one HTTP exchange: a request from one participant to another and
// the answer it got.
type Hop struct {
	// Seq numbers the hops of a journey from 1 in the order they started.
	Seq int `json:"seq"`

	// Sent and Answered place the hop's request and answer arrows among all
	// the arrows of its journey, counted from 1, so that calls made while a
	// request was being served are drawn between its request and its answer.
	// Answered is 0 while the answer is still to come.
	Sent     int `json:"sent"`
	Answered int `json:"answered"`

	// Time is when the request started.
	Time time.Time `json:"time"`

	// From and To are participants, such as [Browser] and [Travel].
	From string `json:"from"`
	To   string `json:"to"`

	// Method and Path describe the request; Path includes the query.
	Method string `json:"method"`
	Path   string `json:"path"`

	// Status is the response status code, or 0 when there was no response.
	Status int `json:"status"`

	// Note says something worth seeing about the answer, such as where a
	// redirect leads or why a request failed.
	Note string `json:"note,omitempty"`

	// Duration is how long the exchange took.
	Duration time.Duration `json:"duration"`
}

// Journey is the hops recorded on behalf of one browser, in order.
type Journey struct {
	// ID names the journey; it is safe in URLs and Mermaid.
	ID string `json:"id"`

	// Start is when its first hop started.
	Start time.Time `json:"start"`

	// Hops are the hops kept, oldest first.
	Hops []Hop `json:"hops"`

	// Dropped counts the hops that were not kept because the journey was
	// full.
	Dropped int `json:"dropped"`

	arrows int // arrows placed so far
}

// Event tells a subscriber that a journey gained a hop.
type Event struct {
	JourneyID string `json:"journey"`
	Hop       Hop    `json:"hop"`
}

// Config holds the bounds and dependencies of a [Recorder].
type Config struct {
	// MaxJourneys is how many journeys are kept; 0 means 50.
	MaxJourneys int

	// MaxHops is how many hops a journey keeps; 0 means 200.
	MaxHops int

	// Now is the clock; nil means time.Now.
	Now func() time.Time

	// Rand is the source of journey ids; nil means crypto/rand.
	Rand io.Reader
}

// Recorder keeps the recent journeys and tells subscribers about new hops.
// It is safe for concurrent use.
type Recorder struct {
	cfg Config

	key []byte // signs JourneyHeader values, so browsers cannot forge them

	mu       sync.Mutex
	journeys []*Journey // least recently active first
	latest   string     // id of the journey that last gained a hop
	subs     map[int]chan Event
	nextSub  int
}

// NewRecorder returns an empty Recorder.
func NewRecorder(cfg Config) *Recorder {
	if cfg.MaxJourneys <= 0 {
		cfg.MaxJourneys = 50
	}
	if cfg.MaxHops <= 0 {
		cfg.MaxHops = 200
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	key := make([]byte, 32)
	if _, err := io.ReadFull(cfg.Rand, key); err != nil {
		_, _ = rand.Read(key) // crypto/rand never fails on supported systems
	}
	return &Recorder{cfg: cfg, key: key, subs: map[int]chan Event{}}
}

// NewJourneyID returns a fresh journey id made of 16 hex digits.
func (r *Recorder) NewJourneyID() string {
	b := make([]byte, 8)
	if _, err := io.ReadFull(r.cfg.Rand, b); err != nil {
		// A failing random source leaves the id all zeros, which still works
		// as a name; journeys then share it.
		return "j0000000000000000"
	}
	return "j" + hex.EncodeToString(b)
}

// Record adds a finished hop to a journey, creating the journey if needed,
// and notifies subscribers. A hop with no journey (an empty journeyID) is
// not recorded: it belongs to no browser that could be shown it.
func (r *Recorder) Record(journeyID string, h Hop) {
	status, note := h.Status, h.Note
	r.begin(journeyID, h)(status, note, h.Duration)
}

// begin adds a hop whose answer is still to come and returns the function
// that records the answer. Both place an arrow in the journey, so hops
// recorded in between are drawn inside this one.
func (r *Recorder) begin(journeyID string, h Hop) func(status int, note string,
	d time.Duration) {
	h.Path, h.Note = clip(redactURL(h.Path)), ""
	if journeyID == "" {
		return func(int, string, time.Duration) {}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	j := r.touch(journeyID, h.Time)
	h.Seq = len(j.Hops) + j.Dropped + 1
	if len(j.Hops) >= r.cfg.MaxHops {
		j.Dropped++
		return func(int, string, time.Duration) {}
	}
	j.arrows++
	h.Sent = j.arrows
	j.Hops = append(j.Hops, h)
	i := len(j.Hops) - 1
	return func(status int, note string, d time.Duration) {
		r.mu.Lock()
		defer r.mu.Unlock()
		j.arrows++
		hop := &j.Hops[i]
		hop.Status, hop.Note, hop.Duration, hop.Answered = status, clip(note), d, j.arrows
		r.latest = journeyID
		r.notify(Event{JourneyID: journeyID, Hop: *hop})
	}
}

// touch returns the journey with the id, creating it if needed, and marks
// it the most recently active; the least recently active journey is
// forgotten beyond MaxJourneys, so one busy client cannot push out a
// traveller who is still clicking. r.mu must be held.
func (r *Recorder) touch(id string, start time.Time) *Journey {
	for i, j := range r.journeys {
		if j.ID == id {
			r.journeys = append(slices.Delete(r.journeys, i, i+1), j)
			return j
		}
	}
	j := &Journey{ID: id, Start: start}
	r.journeys = append(r.journeys, j)
	if len(r.journeys) > r.cfg.MaxJourneys {
		r.journeys = slices.Delete(r.journeys, 0, len(r.journeys)-r.cfg.MaxJourneys)
	}
	return j
}

// notify tells subscribers about a hop. It never blocks the service being
// traced: a subscriber that is behind misses events and can fetch the
// whole journey again. Sending under r.mu keeps a send from racing with the
// close in Subscribe.
func (r *Recorder) notify(ev Event) {
	for _, c := range r.subs {
		select {
		case c <- ev:
		default:
		}
	}
}

// maxText bounds the bytes of a hop's path and note that are kept.
const maxText = 512

// clip cuts s to maxText bytes, on a rune boundary.
func clip(s string) string {
	if len(s) <= maxText {
		return s
	}
	i := maxText
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i]
}

// find returns the journey with the id, or nil. r.mu must be held.
func (r *Recorder) find(id string) *Journey {
	for _, j := range r.journeys {
		if j.ID == id {
			return j
		}
	}
	return nil
}

// Journey returns a copy of the journey with the id.
func (r *Recorder) Journey(id string) (Journey, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	j := r.find(id)
	if j == nil {
		return Journey{}, false
	}
	return copyJourney(j), true
}

// Latest returns a copy of the journey that most recently gained a hop.
func (r *Recorder) Latest() (Journey, bool) {
	r.mu.Lock()
	id := r.latest
	r.mu.Unlock()
	if id == "" {
		return Journey{}, false
	}
	return r.Journey(id)
}

// Journeys returns copies of the journeys kept, least recently active
// first.
func (r *Recorder) Journeys() []Journey {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Journey, len(r.journeys))
	for i, j := range r.journeys {
		out[i] = copyJourney(j)
	}
	return out
}

// Reset forgets every journey.
func (r *Recorder) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.journeys = nil
	r.latest = ""
}

// Subscribe returns a channel that receives an [Event] for each new hop and
// a function that ends the subscription and closes the channel. Events are
// dropped, never queued without bound, when the subscriber falls more than
// buffer events behind.
func (r *Recorder) Subscribe(buffer int) (<-chan Event, func()) {
	c := make(chan Event, max(buffer, 1))
	r.mu.Lock()
	id := r.nextSub
	r.nextSub++
	r.subs[id] = c
	r.mu.Unlock()

	var once sync.Once
	return c, func() {
		once.Do(func() {
			r.mu.Lock()
			delete(r.subs, id)
			r.mu.Unlock()
			close(c)
		})
	}
}

func copyJourney(j *Journey) Journey {
	c := *j
	c.Hops = slices.Clone(j.Hops)
	return c
}

type journeyKey struct{}

// WithJourney returns a context that carries a journey id, so that requests
// made with it are recorded in that journey.
func WithJourney(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, journeyKey{}, id)
}

// JourneyFrom returns the journey id carried by ctx, or "".
func JourneyFrom(ctx context.Context) string {
	id, _ := ctx.Value(journeyKey{}).(string)
	return id
}
