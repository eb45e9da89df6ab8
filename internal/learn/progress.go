package learn

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

// State is where a learner stands on one lesson.
type State string

// The states of a lesson.
const (
	// StateNotRun means the lesson's tests have not run yet.
	StateNotRun State = "notRun"
	// StateRunning means the lesson's tests are running now.
	StateRunning State = "running"
	// StateDone means every test of the lesson passes.
	StateDone State = "done"
	// StateFailing means the lesson compiles and at least one test fails.
	StateFailing State = "failing"
	// StateDoesNotCompile means the lesson's code (or its tests) does not compile.
	StateDoesNotCompile State = "doesNotCompile"
	// StateTimedOut means a test did not finish in time: usually an endless loop or a wait
	// for something that never comes.
	StateTimedOut State = "timedOut"
)

// Finished reports whether the state is the result of a run (rather than notRun or running).
func (s State) Finished() bool {
	return s != StateNotRun && s != StateRunning
}

// LessonState is the latest known result of one lesson.
type LessonState struct {
	// Number is the lesson's number (1 for "01-first-callbacks").
	Number int `json:"number"`
	// Dir is the lesson's folder name, such as "01-first-callbacks".
	Dir string `json:"dir"`
	// Title is the lesson's title from its README.
	Title string `json:"title"`
	// State is the outcome of the latest run.
	State State `json:"state"`
	// Tests are the lesson's tests from the latest run, subtests included.
	Tests []TestResult `json:"tests,omitempty"`
	// BuildErrors are the compiler's messages when the lesson does not compile, with paths
	// relative to the module root.
	BuildErrors []string `json:"buildErrors,omitempty"`
	// Output is output of the test binary not attached to any test.
	Output []string `json:"output,omitempty"`
	// Duration is how long the latest run of this lesson took, build included.
	Duration time.Duration `json:"duration"`
	// Finished is when the latest run ended; zero when it has not run.
	Finished time.Time `json:"finished,omitzero"`
}

// Failed returns the tests that failed or timed out, leaving out parent tests that only
// failed because a subtest did.
func (l LessonState) Failed() []TestResult {
	return PackageResult{Tests: l.Tests}.Failed()
}

// FirstFailure returns the name of the first failing test, or "" if none failed. It is what
// a workshop reporter may send: a name, never code or output.
func (l LessonState) FirstFailure() string {
	if f := l.Failed(); len(f) > 0 {
		return f[0].Name
	}
	return ""
}

// Counts returns how many of the lesson's tests passed (or were skipped) and how many
// finished, counting subtests rather than the tests that group them.
func (l LessonState) Counts() (passed, total int) {
	for i, t := range l.Tests {
		if t.Status == TestRunning || hasChild(l.Tests[i+1:], t.Name) {
			continue
		}
		total++
		if t.Passed() {
			passed++
		}
	}
	return passed, total
}

func hasChild(tests []TestResult, parent string) bool {
	for _, t := range tests {
		if strings.HasPrefix(t.Name, parent+"/") {
			return true
		}
	}
	return false
}

// ShortTitle returns the lesson's title without a leading "Lesson N:", for places that show
// the number already.
func (l LessonState) ShortTitle() string {
	return ShortTitle(l.Title)
}

// ShortTitle returns title without a leading "Lesson N:" ("Lesson 2: The callback contract"
// becomes "The callback contract").
func ShortTitle(title string) string {
	return lessonTitlePrefix.ReplaceAllString(title, "")
}

// lessonTitlePrefix matches a "Lesson 3: " at the start of a title.
var lessonTitlePrefix = regexp.MustCompile(`^(?i)lesson \d+\s*[:.-]\s*`)

// Progress is the state of every lesson.
type Progress struct {
	// Lessons are the lessons in order of their number.
	Lessons []LessonState `json:"lessons"`
	// Focus is the folder of the lesson the learner saved last, when a watch knows it; views
	// show that lesson's failures first.
	Focus string `json:"focus,omitempty"`
	// Running reports whether a test run is in progress.
	Running bool `json:"running"`
	// Err is a problem with the run as a whole (the go command missing, a run that could not
	// start); it is empty normally.
	Err string `json:"error,omitempty"`
}

// Done returns how many lessons pass.
func (p Progress) Done() int {
	n := 0
	for _, l := range p.Lessons {
		if l.State == StateDone {
			n++
		}
	}
	return n
}

// Next returns the first lesson that is not done, and false when all are done.
func (p Progress) Next() (LessonState, bool) {
	for _, l := range p.Lessons {
		if l.State != StateDone {
			return l, true
		}
	}
	return LessonState{}, false
}

// FocusLesson returns the lesson to show in detail: the one saved last if it is not done,
// else the first that is not done. It returns false when every lesson is done.
func (p Progress) FocusLesson() (LessonState, bool) {
	if l, ok := p.Lesson(p.Focus); ok && l.State != StateDone {
		return l, true
	}
	return p.Next()
}

// FocusAmong is [Progress.FocusLesson] for a learner who named lessons: the one saved last
// if it is not done, else the first lesson of dirs that is not done. It returns false when
// those are all done; with no dirs it is FocusLesson.
func (p Progress) FocusAmong(dirs []string) (LessonState, bool) {
	if len(dirs) == 0 {
		return p.FocusLesson()
	}
	if l, ok := p.Lesson(p.Focus); ok && l.State != StateDone {
		return l, true
	}
	for _, l := range p.Lessons {
		if l.State != StateDone && slices.Contains(dirs, l.Dir) {
			return l, true
		}
	}
	return LessonState{}, false
}

// Lesson returns the state of the lesson in folder dir.
func (p Progress) Lesson(dir string) (LessonState, bool) {
	for _, l := range p.Lessons {
		if l.Dir == dir {
			return l, true
		}
	}
	return LessonState{}, false
}

// clone returns a deep copy of p, so a subscriber can keep it while the tracker moves on.
func (p Progress) clone() Progress {
	out := p
	out.Lessons = make([]LessonState, len(p.Lessons))
	for i, l := range p.Lessons {
		l.Tests = slices.Clone(l.Tests)
		for j := range l.Tests {
			l.Tests[j].Output = slices.Clone(l.Tests[j].Output)
		}
		l.BuildErrors = slices.Clone(l.BuildErrors)
		l.Output = slices.Clone(l.Output)
		out.Lessons[i] = l
	}
	return out
}

// Tracker holds the current [Progress] and tells subscribers about every change. It is safe
// for concurrent use.
//
// Subscribers get latest-value semantics: each subscription has room for one value, and a
// newer value replaces one the subscriber has not read yet. A slow subscriber (a web page on a
// slow link, a workshop reporter) therefore misses intermediate states but never blocks the
// test runner, and always ends up with the latest state.
type Tracker struct {
	mu     sync.Mutex
	cur    Progress
	subs   map[int]chan Progress
	nextID int
	closed bool
}

// NewTracker returns a tracker whose lessons are all [StateNotRun].
func NewTracker(lessons []Lesson) *Tracker {
	p := Progress{Lessons: make([]LessonState, len(lessons))}
	for i, l := range lessons {
		p.Lessons[i] = LessonState{Number: l.Number, Dir: l.Dir, Title: l.Title, State: StateNotRun}
	}
	return &Tracker{cur: p, subs: map[int]chan Progress{}}
}

// Progress returns a copy of the current progress.
func (t *Tracker) Progress() Progress {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.cur.clone()
}

// Subscribe returns a channel that receives the current progress at once and then every
// change, and a function that ends the subscription and closes the channel. Call the function
// when done (it is safe to call more than once). A reader that falls behind gets the latest
// value, not a backlog.
func (t *Tracker) Subscribe() (<-chan Progress, func()) {
	t.mu.Lock()
	defer t.mu.Unlock()
	ch := make(chan Progress, 1)
	ch <- t.cur.clone()
	if t.closed {
		close(ch)
		return ch, func() {}
	}
	id := t.nextID
	t.nextID++
	t.subs[id] = ch
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			t.mu.Lock()
			defer t.mu.Unlock()
			if _, ok := t.subs[id]; ok {
				delete(t.subs, id)
				close(ch)
			}
		})
	}
}

// Update changes the progress with f, under the tracker's lock, and then tells every
// subscriber. f must not call the tracker's methods.
func (t *Tracker) Update(f func(p *Progress)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f(&t.cur)
	for _, ch := range t.subs {
		// Drop the value the subscriber has not read yet, if any, then send the new one.
		// Both happen under t.mu, the only place that sends, so the send cannot block.
		select {
		case <-ch:
		default:
		}
		ch <- t.cur.clone()
	}
}

// Close ends every subscription: each subscriber's channel is closed after the value it
// has not read yet, and later subscriptions get the current progress and a closed channel.
// A server closes its tracker on shutdown so its event streams end.
func (t *Tracker) Close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
	for id, ch := range t.subs {
		close(ch)
		delete(t.subs, id)
	}
}

// SetLesson replaces the state of the lesson with the same Dir; other lessons keep theirs.
func (t *Tracker) SetLesson(s LessonState) {
	t.Update(func(p *Progress) {
		for i := range p.Lessons {
			if p.Lessons[i].Dir == s.Dir {
				s.Number, s.Title = p.Lessons[i].Number, p.Lessons[i].Title
				p.Lessons[i] = s
			}
		}
	})
}

// setStates marks the lessons in dirs with state, keeping their last results.
func (t *Tracker) setStates(dirs []string, state State) {
	t.Update(func(p *Progress) {
		for i := range p.Lessons {
			if slices.Contains(dirs, p.Lessons[i].Dir) {
				p.Lessons[i].State = state
			}
		}
	})
}
