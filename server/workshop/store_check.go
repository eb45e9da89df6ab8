package workshop

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// check validates a loaded room state and fills its empty maps, so that nothing in a damaged
// or hand-edited file can crash the server later. It normalizes the join code.
func (st *roomState) check() error {
	st.Code = normalizeCode(st.Code)
	if len(st.Code) != codeLen || strings.Trim(st.Code, codeAlphabet) != "" {
		return fmt.Errorf("the join code %q is not %d characters of %s", st.Code, codeLen,
			codeAlphabet)
	}
	if len(st.InstructorToken) < 16 {
		return errors.New("the instructor token is missing or too short")
	}
	if st.Learners == nil {
		st.Learners = map[string]*learner{}
	}
	if st.Unlocked == nil {
		st.Unlocked = map[int]Unlock{}
	}
	if st.Removed == nil {
		st.Removed = map[string]bool{}
	}
	if len(st.Learners) > MaxLearners {
		return fmt.Errorf("it holds %d learners, more than %d", len(st.Learners), MaxLearners)
	}
	for id, l := range st.Learners {
		if err := checkLearner(id, l); err != nil {
			return err
		}
	}
	for n, u := range st.Unlocked {
		if n < 1 || n > 99 || u.Hints < 0 || u.Hints > 99 {
			return fmt.Errorf("the unlock of lesson %d is not valid", n)
		}
	}
	for id := range st.Removed {
		if !validID(id) {
			return fmt.Errorf("the removed learner id %q is not valid", id)
		}
	}
	return nil
}

// checkLearner validates one saved learner.
func checkLearner(id string, l *learner) error {
	switch {
	case l == nil:
		return fmt.Errorf("learner %q is empty", id)
	case !validID(id) || l.ID != id:
		return fmt.Errorf("learner %q has a malformed id", id)
	case len(l.TokenHash) != 64 || strings.Trim(l.TokenHash, "0123456789abcdef") != "":
		return fmt.Errorf("learner %q has a malformed token hash", id)
	}
	// Names are held to what the page can show safely, not to today's stricter rules for
	// new names, so a room saved by an older callbacklab still loads.
	if !printableName(l.Name) {
		return fmt.Errorf("learner %q has an invalid name", id)
	}
	if l.Lessons == nil {
		l.Lessons = map[int]*lessonProgress{}
	}
	for n, p := range l.Lessons {
		if p == nil || n < 1 || n > 99 {
			return fmt.Errorf("learner %q has an invalid entry for lesson %d", id, n)
		}
		switch p.State {
		case StateDone, StateFailing, StateDoesNotCompile, StateTimedOut:
		default:
			return fmt.Errorf("learner %q has the unknown state %q on lesson %d", id, p.State, n)
		}
		if checkTestName(p.FirstFailing) != nil {
			return fmt.Errorf("learner %q has an invalid test name on lesson %d", id, n)
		}
	}
	return nil
}

// validID reports whether id is a learner id as newID makes them: 16 lowercase hex digits.
func validID(id string) bool {
	return len(id) == 16 && strings.Trim(id, "0123456789abcdef") == ""
}

// printableName reports whether a saved name is non-empty, bounded, valid UTF-8 text without
// control or formatting characters.
func printableName(name string) bool {
	if name == "" || !utf8.ValidString(name) || utf8.RuneCountInString(name) > 2*MaxNameLen {
		return false
	}
	for _, r := range name {
		if unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co, unicode.Cs) {
			return false
		}
	}
	return true
}
