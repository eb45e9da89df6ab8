package workshop

import (
	"fmt"
	"strings"

	"callbacklab/internal/learn"
	"callbacklab/lessons"
)

// StatusFromProgress returns the status a learner shares for p: for each lesson that has a
// result, its number, state, first failing test and when it ran. It is the one place that
// decides what leaves the learner's machine, so it copies those fields and nothing else:
// never build errors, test output, durations or folder names.
func StatusFromProgress(p learn.Progress) Status {
	s := Status{Lessons: []LessonStatus{}}
	for _, l := range p.Lessons {
		var st State
		switch l.State {
		case learn.StateDone:
			st = StateDone
		case learn.StateFailing:
			st = StateFailing
		case learn.StateDoesNotCompile:
			st = StateDoesNotCompile
		case learn.StateTimedOut:
			st = StateTimedOut
		default:
			// Not run yet, or running: the instructor keeps the last result they had.
			continue
		}
		ls := LessonStatus{Lesson: l.Number, State: st, At: l.Finished}
		if st == StateFailing || st == StateTimedOut {
			ls.FirstFailing = l.FirstFailure()
			if checkTestName(ls.FirstFailing) != nil {
				ls.FirstFailing = "" // a name the server would refuse: share the state alone
			}
		}
		if len(s.Lessons) == MaxLessonsPerReport {
			break
		}
		s.Lessons = append(s.Lessons, ls)
	}
	return s
}

// FromLessons returns the workshop's lessons for callbacklab's lessons: their numbers,
// titles and how many hint tiers each has.
func FromLessons(all []lessons.Lesson) []Lesson {
	out := make([]Lesson, 0, len(all))
	for _, l := range all {
		// A README title may start "Lesson 3: "; the grid numbers its columns already.
		title := l.Title
		if rest, ok := strings.CutPrefix(title, fmt.Sprintf("Lesson %d: ", l.Number)); ok {
			title = rest
		}
		out = append(out, Lesson{Number: l.Number, Title: title, Hints: len(l.Hints)})
	}
	return out
}
