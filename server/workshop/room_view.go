package workshop

import (
	"cmp"
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// View is the room as the instructor's page draws it. It holds times rather than durations,
// so one view serves every page until the room changes and each page counts time itself.
type View struct {
	// Code is the join code.
	Code string `json:"code"`
	// Lessons are the workshop's lessons, the grid's columns.
	Lessons []Lesson `json:"lessons"`
	// Unlocked is what the instructor has opened for everyone.
	Unlocked Unlocks `json:"unlocked"`
	// Learners are the grid's rows, sorted by name.
	Learners []LearnerView `json:"learners"`
	// Stuck counts the learners whose current lesson fails, by lesson and first failing test,
	// most common first.
	Stuck []Stuck `json:"stuck"`
	// Totals counts, for each lesson in the order of Lessons, the learners in each state.
	Totals []LessonTotals `json:"totals"`
}

// LearnerView is one row of the grid.
type LearnerView struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Addr is the network address the learner joined from, for [Room.NewCode].
	Addr     string    `json:"addr,omitempty"`
	Joined   time.Time `json:"joined"`
	LastSeen time.Time `json:"lastSeen"`
	// Done is how many lessons the learner has passed.
	Done int `json:"done"`
	// Current is the number of the first lesson the learner has not passed, 0 when all pass.
	Current int `json:"current"`
	// Cells are the learner's lessons, in the order of View.Lessons.
	Cells []Cell `json:"cells"`
}

// Cell is one learner on one lesson.
type Cell struct {
	// State is the latest reported state; empty when the lesson has not been reported.
	State State `json:"state,omitempty"`
	// FirstFailing is the name of the first failing test.
	FirstFailing string `json:"firstFailing,omitempty"`
	// Since is when the learner started on the lesson: when they joined or passed the lesson
	// before, whichever is later. It is zero for lessons ahead of the current one.
	Since time.Time `json:"since,omitzero"`
	// DoneAt is when the lesson first passed.
	DoneAt time.Time `json:"doneAt,omitzero"`
	// Changed is when the state or failing test last changed.
	Changed time.Time `json:"changed,omitzero"`
}

// Stuck counts learners whose current lesson fails the same way.
type Stuck struct {
	Lesson int    `json:"lesson"`
	State  State  `json:"state"`
	Test   string `json:"test,omitempty"`
	Count  int    `json:"count"`
}

// LessonTotals counts learners by state on one lesson.
type LessonTotals struct {
	Lesson         int `json:"lesson"`
	Done           int `json:"done"`
	Failing        int `json:"failing"`
	DoesNotCompile int `json:"doesNotCompile"`
	NotReported    int `json:"notReported"`
}

// View returns the room as the instructor's page draws it.
func (r *Room) View() View {
	st, _ := r.snapshot()
	return r.view(st)
}

func (r *Room) view(st roomState) View {
	v := View{
		Code: st.Code, Lessons: r.lessons, Unlocked: make(Unlocks),
		Learners: make([]LearnerView, 0, len(st.Learners)),
		Totals:   make([]LessonTotals, len(r.lessons)),
	}
	for n, u := range st.Unlocked {
		v.Unlocked[itoa(n)] = u
	}
	for i, l := range r.lessons {
		v.Totals[i].Lesson = l.Number
	}
	stuck := map[Stuck]int{}
	for _, l := range st.Learners {
		row := r.learnerView(l)
		for i, c := range row.Cells {
			t := &v.Totals[i]
			switch c.State {
			case StateDone:
				t.Done++
			case StateFailing, StateTimedOut:
				t.Failing++
			case StateDoesNotCompile:
				t.DoesNotCompile++
			default:
				t.NotReported++
			}
			if r.lessons[i].Number == row.Current && c.State != "" {
				stuck[Stuck{Lesson: row.Current, State: c.State, Test: c.FirstFailing}]++
			}
		}
		v.Learners = append(v.Learners, row)
	}
	slices.SortFunc(v.Learners, func(a, b LearnerView) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)),
			strings.Compare(a.ID, b.ID))
	})
	for s, n := range stuck {
		s.Count = n
		v.Stuck = append(v.Stuck, s)
	}
	slices.SortFunc(v.Stuck, func(a, b Stuck) int {
		return cmp.Or(b.Count-a.Count, a.Lesson-b.Lesson, strings.Compare(a.Test, b.Test))
	})
	return v
}

// learnerView builds one row of the grid.
func (r *Room) learnerView(l *learner) LearnerView {
	row := LearnerView{ID: l.ID, Name: l.Name, Addr: l.Addr, Joined: l.Joined, LastSeen: l.LastSeen,
		Cells: make([]Cell, len(r.lessons))}
	since := l.Joined
	for i, lesson := range r.lessons {
		p := l.Lessons[lesson.Number]
		c := &row.Cells[i]
		if p != nil {
			c.State, c.FirstFailing, c.DoneAt, c.Changed = p.State, p.FirstFailing, p.DoneAt,
				p.Changed
		}
		if c.State == StateDone {
			row.Done++
			c.Since = since
			if c.DoneAt.After(since) {
				since = c.DoneAt
			}
			continue
		}
		if row.Current == 0 {
			row.Current = lesson.Number
			c.Since = since
		}
	}
	return row
}

// ViewJSON returns the view encoded as JSON and the room version it shows. The encoding is
// made once per change, however many pages ask.
func (r *Room) ViewJSON() ([]byte, uint64) {
	r.mu.Lock()
	if r.viewVer == r.version && r.viewJSON != nil {
		b, ver := r.viewJSON, r.version
		r.mu.Unlock()
		return b, ver
	}
	r.mu.Unlock()

	st, ver := r.snapshot()
	b, err := json.Marshal(r.view(st))
	if err != nil {
		// A View holds only strings, numbers and times; it always encodes.
		panic("workshop: encoding the view: " + err.Error())
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if ver > r.viewVer {
		r.viewVer, r.viewJSON = ver, b
	}
	return b, ver
}
