package workshop

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeClock is a clock a test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) Now() time.Time          { return c.t }
func (c *fakeClock) Advance(d time.Duration) { c.t = c.t.Add(d) }

var testLessons = []Lesson{
	{Number: 1, Title: "First callbacks", Hints: 2},
	{Number: 2, Title: "The callback contract", Hints: 3},
	{Number: 3, Title: "Async callbacks", Hints: 1},
}

func newTestRoom(t *testing.T) (*Room, *fakeClock) {
	t.Helper()
	clock := &fakeClock{t: time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)}
	return NewRoom(testLessons, clock.Now), clock
}

func TestRoomCodeAndTokens(t *testing.T) {
	r, _ := newTestRoom(t)
	code := r.Code()
	require.Len(t, code, codeLen, "a join code is short enough to read off a projector")
	for _, c := range code {
		assert.Contains(t, codeAlphabet, string(c), "the code uses only unambiguous characters")
	}
	assert.GreaterOrEqual(t, len(r.InstructorToken()), 40, "the instructor token is long")
	assert.True(t, r.CheckInstructor(r.InstructorToken()), "the room knows its own token")
	assert.False(t, r.CheckInstructor(""), "an empty token is never the instructor's")
	assert.False(t, r.CheckInstructor(r.InstructorToken()+"x"), "a longer token is wrong")
	assert.NotEqual(t, code, NewRoom(testLessons, nil).Code(), "each room has its own code")
}

func TestRoomJoin(t *testing.T) {
	r, _ := newTestRoom(t)
	code := r.Code()

	_, _, _, err := r.Join("ZZZZZZ", "Ada")
	assert.ErrorIs(t, err, ErrBadCode, "a wrong code is refused")

	typed := strings.ToLower(code[:3]) + "-" + code[3:]
	id, tok, shown, err := r.Join(typed, "  Ada ")
	require.NoError(t, err, "the code is accepted in lower case with a dash")
	assert.Equal(t, "Ada", shown, "spaces around a name are dropped")
	got, err := r.Authenticate(tok)
	require.NoError(t, err, "the token from joining authenticates")
	assert.Equal(t, id, got, "the token names the learner who joined")

	_, _, shown2, err := r.Join(code, "Ada")
	require.NoError(t, err)
	assert.Equal(t, "Ada (2)", shown2, "a second Ada is told apart on the grid")

	for _, bad := range []string{"", id, id + ".wrong", "nodot", tok + "x"} {
		_, err := r.Authenticate(bad)
		assert.ErrorIs(t, err, ErrUnknownLearner, "token %q must not authenticate", bad)
	}
}

func TestRoomReportAndView(t *testing.T) {
	r, clock := newTestRoom(t)
	idA, _, _, err := r.Join(r.Code(), "Ada")
	require.NoError(t, err)
	idB, _, _, err := r.Join(r.Code(), "bob")
	require.NoError(t, err)
	joined := clock.Now()

	clock.Advance(10 * time.Minute)
	_, err = r.Report(idA, Status{Lessons: []LessonStatus{
		{Lesson: 1, State: StateDone},
		{Lesson: 2, State: StateFailing, FirstFailing: "TestCalledOnce"},
		{Lesson: 42, State: StateDone}, // not in this workshop: ignored
	}})
	require.NoError(t, err)
	_, err = r.Report(idB, Status{Lessons: []LessonStatus{
		{Lesson: 1, State: StateFailing, FirstFailing: "TestGreet", At: joined.Add(time.Hour)},
	}})
	require.NoError(t, err)

	v := r.View()
	require.Len(t, v.Learners, 2)
	a, b := v.Learners[0], v.Learners[1]
	assert.Equal(t, "Ada", a.Name, "rows are sorted by name, ignoring case")
	assert.Equal(t, 1, a.Done, "Ada passed lesson 1")
	assert.Equal(t, 2, a.Current, "Ada is on lesson 2")
	done := clock.Now()
	want := []Cell{
		{State: StateDone, Since: joined, DoneAt: done, Changed: done},
		{State: StateFailing, FirstFailing: "TestCalledOnce", Since: done, Changed: done},
		{},
	}
	if diff := cmp.Diff(want, a.Cells); diff != "" {
		t.Errorf("Ada's cells (-want +got):\n%s", diff)
	}
	assert.Equal(t, done, b.Cells[0].Changed,
		"a learner's time from the future is replaced by the server's")

	wantStuck := []Stuck{
		{Lesson: 1, State: StateFailing, Test: "TestGreet", Count: 1},
		{Lesson: 2, State: StateFailing, Test: "TestCalledOnce", Count: 1},
	}
	if diff := cmp.Diff(wantStuck, v.Stuck); diff != "" {
		t.Errorf("stuck counts (-want +got):\n%s", diff)
	}
	wantTotals := []LessonTotals{
		{Lesson: 1, Done: 1, Failing: 1},
		{Lesson: 2, Failing: 1, NotReported: 1},
		{Lesson: 3, NotReported: 2},
	}
	if diff := cmp.Diff(wantTotals, v.Totals); diff != "" {
		t.Errorf("totals (-want +got):\n%s", diff)
	}

	// A later report of the same failure keeps the time it started failing.
	clock.Advance(time.Minute)
	_, err = r.Report(idA, Status{Lessons: []LessonStatus{
		{Lesson: 2, State: StateFailing, FirstFailing: "TestCalledOnce"},
	}})
	require.NoError(t, err)
	assert.Equal(t, done, r.View().Learners[0].Cells[1].Changed,
		"the same failure reported again is not a change")
}

func TestRoomReportRefusals(t *testing.T) {
	r, _ := newTestRoom(t)
	id, _, _, err := r.Join(r.Code(), "Ada")
	require.NoError(t, err)
	many := make([]LessonStatus, MaxLessonsPerReport+1)
	for i := range many {
		many[i] = LessonStatus{Lesson: i + 1, State: StateDone}
	}
	tests := []struct {
		name   string
		status Status
		want   string
	}{
		{"tooManyLessons", Status{Lessons: many}, "at most 32 lessons"},
		{"lessonZero", Status{Lessons: []LessonStatus{{Lesson: 0, State: StateDone}}},
			"lesson 0 does not exist"},
		{"unknownState", Status{Lessons: []LessonStatus{{Lesson: 1, State: "great"}}},
			`state "great"`},
		{"twice", Status{Lessons: []LessonStatus{{Lesson: 1, State: StateDone},
			{Lesson: 1, State: StateDone}}}, "appears twice"},
		{"longTestName", Status{Lessons: []LessonStatus{{Lesson: 1, State: StateFailing,
			FirstFailing: strings.Repeat("T", MaxTestNameLen+1)}}}, "at most 200"},
		{"controlInTestName", Status{Lessons: []LessonStatus{{Lesson: 1, State: StateFailing,
			FirstFailing: "Test\x1b[2J"}}}, "non-printable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.Report(id, tt.status)
			require.ErrorIs(t, err, ErrInvalid, "a bad report is refused as invalid")
			assert.Contains(t, err.Error(), tt.want, "the refusal says what is wrong")
		})
	}
	_, err = r.Report("nobody", Status{})
	assert.ErrorIs(t, err, ErrUnknownLearner, "a report for an unknown learner is refused")
}

func TestRoomUnlock(t *testing.T) {
	r, _ := newTestRoom(t)
	ver0, _ := r.Changed()
	u, err := r.Unlock(1, "hint")
	require.NoError(t, err)
	assert.Equal(t, Unlock{Hints: 1}, u, "the first hint is unlocked")
	u, err = r.Unlock(1, "hint")
	require.NoError(t, err)
	assert.Equal(t, Unlock{Hints: 2}, u, "then the second")
	_, err = r.Unlock(1, "hint")
	assert.ErrorContains(t, err, "every hint of lesson 1 (2) is already unlocked",
		"lesson 1 has only two hints")
	u, err = r.Unlock(3, "solution")
	require.NoError(t, err)
	assert.Equal(t, Unlock{Solution: true}, u, "a solution can be unlocked")
	_, err = r.Unlock(9, "hint")
	assert.ErrorContains(t, err, "lesson 9 is not part of this workshop")
	_, err = r.Unlock(2, "everything")
	assert.ErrorContains(t, err, `cannot unlock "everything"`)

	want := Unlocks{"1": {Hints: 2}, "3": {Solution: true}}
	if diff := cmp.Diff(want, r.Unlocked()); diff != "" {
		t.Errorf("unlocked (-want +got):\n%s", diff)
	}
	ver, _ := r.Changed()
	assert.Greater(t, ver, ver0, "unlocking changes the room, so pages update")
}

func TestRoomChangedWakesWaiters(t *testing.T) {
	r, _ := newTestRoom(t)
	_, ch := r.Changed()
	select {
	case <-ch:
		t.Fatal("the change channel is closed before anything changed")
	default:
	}
	_, _, _, err := r.Join(r.Code(), "Ada")
	require.NoError(t, err)
	select {
	case <-ch:
	default:
		t.Fatal("joining must wake the instructor pages waiting for a change")
	}
}

func TestRoomFull(t *testing.T) {
	r, _ := newTestRoom(t)
	for i := range MaxLearners {
		_, _, _, err := r.Join(r.Code(), "L"+itoa(i))
		require.NoError(t, err)
	}
	_, _, _, err := r.Join(r.Code(), "one more")
	assert.True(t, errors.Is(err, ErrRoomFull), "the room refuses learner %d", MaxLearners+1)
}

func TestRoomCapsLearnersPerAddress(t *testing.T) {
	r, _ := newTestRoom(t)
	for i := range 3 {
		_, _, _, err := r.JoinFrom(r.Code(), fmt.Sprintf("Ada %d", i), "192.0.2.1", 3)
		require.NoError(t, err, "a machine may run a few reporters")
	}
	_, _, _, err := r.JoinFrom(r.Code(), "Mallory", "192.0.2.1", 3)
	assert.ErrorIs(t, err, ErrAddrFull, "a fourth learner from one address is refused")
	_, _, _, err = r.JoinFrom(r.Code(), "Bob", "192.0.2.2", 3)
	assert.NoError(t, err, "other addresses still get in")
}
