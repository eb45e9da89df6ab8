package workshop

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"callbacklab/internal/learn"
	"callbacklab/lessons"
)

func TestStatusFromProgressSharesOnlyStateAndTestName(t *testing.T) {
	at := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	p := learn.Progress{Lessons: []learn.LessonState{
		{Number: 1, Dir: "01-first-callbacks", Title: "First", State: learn.StateDone,
			Finished: at, Duration: time.Second},
		{Number: 2, Dir: "02-callback-contract", State: learn.StateFailing, Finished: at,
			Tests: []learn.TestResult{
				{Name: "TestCalledOnce", Status: learn.TestFailed, Output: []string{"/home/ada/secret.go:3"}},
			},
			Output: []string{"panic: /home/ada/work"}},
		{Number: 3, State: learn.StateDoesNotCompile, Finished: at,
			BuildErrors: []string{"lessons/03/exercise.go:4: undefined: x"}},
		{Number: 4, State: learn.StateNotRun},
		{Number: 5, State: learn.StateRunning},
	}}
	want := Status{Lessons: []LessonStatus{
		{Lesson: 1, State: StateDone, At: at},
		{Lesson: 2, State: StateFailing, FirstFailing: "TestCalledOnce", At: at},
		{Lesson: 3, State: StateDoesNotCompile, At: at},
	}}
	if diff := cmp.Diff(want, StatusFromProgress(p)); diff != "" {
		t.Errorf("the shared status (-want +got):\n%s", diff)
	}
}

func TestFromLessons(t *testing.T) {
	got := FromLessons([]lessons.Lesson{
		{Number: 1, Title: "Lesson 1: First callbacks", Hints: []string{"a", "b"}},
		{Number: 2, Title: "Observers"},
		{Number: 3, Title: "Lesson 4: a typo stays"},
	})
	want := []Lesson{
		{Number: 1, Title: "First callbacks", Hints: 2},
		{Number: 2, Title: "Observers"},
		{Number: 3, Title: "Lesson 4: a typo stays"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("workshop lessons (-want +got):\n%s", diff)
	}
}
