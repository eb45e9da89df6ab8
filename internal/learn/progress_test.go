package learn

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTrackerSlowSubscriberGetsLatestValue(t *testing.T) {
	tr := NewTracker(fakeLessons)
	ch, unsubscribe := tr.Subscribe()
	defer unsubscribe()

	// A subscriber that reads nothing while a hundred updates happen must not block them.
	for i := range 100 {
		tr.SetLesson(LessonState{Dir: "02-fail", State: StateFailing,
			Output: []string{fmt.Sprint(i)}})
	}
	got := <-ch
	l, ok := got.Lesson("02-fail")
	require.True(t, ok)
	assert.Equal(t, []string{"99"}, l.Output, "a slow subscriber skips to the latest state")
	assert.Equal(t, "Failing lesson", l.Title, "SetLesson keeps the lesson's title")
	select {
	case p := <-ch:
		t.Fatalf("no backlog is kept, got another value: %+v", p)
	default:
	}
}

func TestTrackerSubscribersGetCopies(t *testing.T) {
	tr := NewTracker(fakeLessons)
	ch, unsubscribe := tr.Subscribe()
	first := <-ch
	first.Lessons[0].State = StateDone
	assert.Equal(t, StateNotRun, tr.Progress().Lessons[0].State,
		"a subscriber changing its copy does not change the tracker")

	unsubscribe()
	unsubscribe()
	_, open := <-ch
	assert.False(t, open, "unsubscribing closes the channel, and twice is harmless")
	tr.SetLesson(LessonState{Dir: "01-pass", State: StateDone}) // must not panic
}

func TestProgressNextAndDone(t *testing.T) {
	p := fixtureProgress(t)
	assert.Equal(t, 1, p.Done(), "one fake lesson passes")
	next, ok := p.Next()
	require.True(t, ok)
	assert.Equal(t, "02-fail", next.Dir, "the next lesson is the first not done")
	assert.Equal(t, "TestGreet", next.FirstFailure(), "the first failing test by name")
}

func TestTrackerCloseEndsSubscriptions(t *testing.T) {
	tr := NewTracker(fakeLessons)
	ch, unsubscribe := tr.Subscribe()
	defer unsubscribe()
	tr.Close()
	_, ok := <-ch
	assert.True(t, ok, "the value not read yet is still delivered")
	_, ok = <-ch
	assert.False(t, ok, "then the channel is closed")

	late, _ := tr.Subscribe()
	_, ok = <-late
	assert.True(t, ok, "a late subscriber gets the current progress")
	_, ok = <-late
	assert.False(t, ok, "and a closed channel")
	tr.SetLesson(LessonState{Dir: "01-pass", State: StateDone}) // must not panic
}
