package workshop

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// State is where a learner stands on one lesson, as a report tells it.
type State string

// The states a report may carry. A lesson that has not run yet is left out of the report.
const (
	// StateDone means every test of the lesson passes.
	StateDone State = "done"
	// StateFailing means the lesson compiles and at least one test fails.
	StateFailing State = "failing"
	// StateDoesNotCompile means the lesson's code does not compile.
	StateDoesNotCompile State = "doesNotCompile"
	// StateTimedOut means a test of the lesson did not finish in time.
	StateTimedOut State = "timedOut"
)

// Limits on what a learner may send.
const (
	// MaxLessonsPerReport is how many lessons one report may carry.
	MaxLessonsPerReport = 32
	// MaxTestNameLen is the longest test name accepted, in bytes.
	MaxTestNameLen = 200
	// MaxNameLen is the longest display name accepted, in characters.
	MaxNameLen = 40
	// maxReportBytes caps the body of a report; a full report is well under 4 KB.
	maxReportBytes = 8 << 10
	// maxJoinBytes caps the body of a join request.
	maxJoinBytes = 2 << 10
)

// LessonStatus is what a learner shares about one lesson.
type LessonStatus struct {
	// Lesson is the lesson's number (1 for "01-first-callbacks").
	Lesson int `json:"lesson"`
	// State is the outcome of the learner's latest run of the lesson.
	State State `json:"state"`
	// FirstFailing is the name of the first failing test, when the state is failing or
	// timedOut; it is empty otherwise.
	FirstFailing string `json:"firstFailing,omitempty"`
	// At is when the learner's run ended.
	At time.Time `json:"at,omitzero"`
}

// Status is one report: the lessons a learner has run. Lessons left out keep the state the
// instructor's server already knows.
type Status struct {
	Lessons []LessonStatus `json:"lessons"`
}

// Unlock is what the instructor has opened for everyone on one lesson.
type Unlock struct {
	// Hints is how many hint tiers are unlocked, from the first.
	Hints int `json:"hints"`
	// Solution reports whether the reference solution may be shown even before the lesson
	// passes.
	Solution bool `json:"solution"`
}

// Unlocks maps lesson numbers, as decimal strings, to what is unlocked for them.
type Unlocks map[string]Unlock

// For returns what is unlocked for lesson n; the zero Unlock when nothing is.
func (u Unlocks) For(n int) Unlock {
	return u[strconv.Itoa(n)]
}

// joinRequest is the body of POST /workshop/api/join.
type joinRequest struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// joinResponse is the answer to a successful join.
type joinResponse struct {
	ID       string  `json:"id"`
	Token    string  `json:"token"`
	Name     string  `json:"name"`
	Unlocked Unlocks `json:"unlocked"`
}

// reportResponse is the answer to a report.
type reportResponse struct {
	Unlocked Unlocks `json:"unlocked"`
}

// unlockRequest is the body of POST /workshop/api/unlock.
type unlockRequest struct {
	Lesson int    `json:"lesson"`
	What   string `json:"what"` // "hint" or "solution"
}

// ErrInvalid marks a request the learner or instructor must change: its message says how.
var ErrInvalid = errors.New("workshop: invalid request")

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// CleanName checks a display name and returns it with surrounding spaces removed. Names may
// hold letters of any script, digits, punctuation and spaces, but no control or invisible
// formatting characters (such as a right-to-left override), so that a name cannot disguise
// itself or another on the instructor's screen.
func CleanName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", invalid("a name is required: use --name with the name the instructor " +
			"should see, such as --name Ada")
	case !utf8.ValidString(name):
		return "", invalid("the name is not valid UTF-8 text")
	case utf8.RuneCountInString(name) > MaxNameLen:
		return "", invalid("the name is %d characters long; use at most %d",
			utf8.RuneCountInString(name), MaxNameLen)
	}
	for _, r := range name {
		if unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co, unicode.Cs) || r == utf8.RuneError ||
			(unicode.IsSpace(r) && r != ' ') || invisible(r) {
			return "", invalid("the name holds the invisible or control character %U; "+
				"use letters, digits, spaces and punctuation only", r)
		}
	}
	if err := checkMarks(name); err != nil {
		return "", err
	}
	if autoSuffix.MatchString(name) {
		return "", invalid("a name may not end with a number in brackets, such as (2): " +
			"the workshop adds one itself when a name is taken")
	}
	return strings.Join(strings.Fields(name), " "), nil
}

// maxMarks is how many combining marks one letter of a name may carry.
const maxMarks = 2

// invisible reports whether r shows as nothing, or as a blank that is not a space: the
// default-ignorable characters (such as U+034F or the Hangul fillers), variation selectors
// and the Braille blank.
func invisible(r rune) bool {
	return unicode.In(r, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector) ||
		r == '\u2800'
}

// checkMarks refuses a name without a letter or digit, a mark with nothing to sit on, and
// more than maxMarks combining marks on one character, which can paint over other lines.
func checkMarks(name string) error {
	marks, letters := 0, 0
	for i, r := range name {
		if unicode.Is(unicode.M, r) {
			marks++
			if i == 0 || marks > maxMarks {
				return invalid("the name stacks too many accents or marks on one letter; "+
					"use at most %d", maxMarks)
			}
			continue
		}
		marks = 0
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsNumber(r) {
			letters++
		}
	}
	if letters == 0 {
		return invalid("the name needs at least one letter or digit, such as --name Ada")
	}
	return nil
}

// validate checks a report and returns the first problem found.
func (s Status) validate() error {
	if len(s.Lessons) > MaxLessonsPerReport {
		return invalid("a report may carry at most %d lessons, this one has %d",
			MaxLessonsPerReport, len(s.Lessons))
	}
	seen := map[int]bool{}
	for _, l := range s.Lessons {
		if l.Lesson < 1 || l.Lesson > 99 {
			return invalid("lesson %d does not exist: lesson numbers go from 1 to 99", l.Lesson)
		}
		if seen[l.Lesson] {
			return invalid("lesson %d appears twice in the report", l.Lesson)
		}
		seen[l.Lesson] = true
		switch l.State {
		case StateDone, StateFailing, StateDoesNotCompile, StateTimedOut:
		default:
			return invalid("lesson %d has the state %q; use done, failing, doesNotCompile "+
				"or timedOut", l.Lesson, l.State)
		}
		if err := checkTestName(l.FirstFailing); err != nil {
			return invalid("lesson %d: %v", l.Lesson, err)
		}
	}
	return nil
}

// checkTestName accepts the names go test prints: printable text of bounded length.
func checkTestName(name string) error {
	if len(name) > MaxTestNameLen {
		return fmt.Errorf("the test name is %d bytes long; at most %d are accepted",
			len(name), MaxTestNameLen)
	}
	if !utf8.ValidString(name) {
		return errors.New("the test name is not valid UTF-8 text")
	}
	for _, r := range name {
		if !unicode.IsPrint(r) {
			return fmt.Errorf("the test name holds the non-printable character %U", r)
		}
	}
	return nil
}
