package learn

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkSaveToResult measures what a learner waits for: the time from saving a lesson
// file to the lesson's new result, through the real watcher (fsnotify, 150 ms debounce) and
// a real `go test -json` of one small lesson. Each save changes the code, so the go
// command's test cache cannot answer.
func BenchmarkSaveToResult(b *testing.B) {
	root := copyFakeModule(b, "01-pass", "02-fail")
	lessons, err := FindLessons(root)
	if err != nil {
		b.Fatal(err)
	}
	tr := NewTracker(lessons)
	results := make(chan []string, 16)
	w := &Watch{
		Runner:   &Runner{Root: root, Tracker: tr},
		Files:    FileWatch{Root: root},
		Lessons:  lessons,
		OnResult: func(_ Run, dirs []string) { results <- dirs },
	}
	ctx, cancel := context.WithCancel(b.Context())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx, nil) }()
	defer func() { cancel(); <-done }()
	wait := func() {
		select {
		case <-results:
		case <-time.After(2 * time.Minute):
			b.Fatal("no result from the watch")
		}
	}
	wait() // the first, full run

	exercise := filepath.Join(root, "lessons", "01-pass", "exercise.go")
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		src := fmt.Sprintf("package pass\n\nconst version = %d\n\n"+
			"// Double returns twice n.\nfunc Double(n int) int { return 2 * n }\n", i)
		if err := os.WriteFile(exercise, []byte(src), 0o644); err != nil {
			b.Fatal(err)
		}
		wait()
	}
	if l, _ := tr.Progress().Lesson("01-pass"); l.State != StateDone {
		b.Fatalf("the lesson should pass, got %s", l.State)
	}
}
