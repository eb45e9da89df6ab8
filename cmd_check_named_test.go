package main

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"callbacklab/lessons"
)

// learnerFolderWith2 is learnerFolder with lesson 2 as shipped too, so a command can name a
// lesson that is not the first.
func learnerFolderWith2(t *testing.T) (root string, second lessons.Lesson) {
	t.Helper()
	root, _ = learnerFolder(t)
	all, err := lessons.All()
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(all), 2, "the binary embeds at least two lessons")
	second = all[1]
	err = fs.WalkDir(lessons.Files(), second.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(lessons.Files(), p)
		if err != nil {
			return err
		}
		require.NoError(t, os.MkdirAll(filepath.Join(root, "lessons", filepath.Dir(p)), 0o755))
		return os.WriteFile(filepath.Join(root, "lessons", p), b, 0o644)
	})
	require.NoError(t, err, "copying lesson 2 out of the binary")
	return root, second
}

func TestCheckNamedLessonReportsOnIt(t *testing.T) {
	root, _ := learnerFolderWith2(t)
	code, out, errOut := callbacklab(t, nil, "check", "--dir", root, "2")
	assert.Equal(t, 1, code, "check 2 fails while lesson 2 fails; stderr: %s", errOut)
	assert.Regexp(t, `^lesson 2: (\d+ of \d+ tests pass|does not compile)\n`, out,
		"the first line is about the lesson the learner named")
	assert.NotContains(t, out, "lessons done",
		"lessons that were not run are not counted as unfinished")
	assert.Regexp(t, regexp.MustCompile(`(?m)^  01 .* not run$`), out,
		"a lesson that was not run says so")
	assert.Contains(t, out, "Next: lesson 2,", "the next step is the lesson named")
	assert.NotContains(t, out, "Next: lesson 1,", "lesson 1 was not run: it is not next")
	assert.Contains(t, out, self()+" hint 2", "the hint offered is for the lesson named")
}

// syncBuffer is a buffer that a command writes to while the test reads it; each write
// signals on wrote.
type syncBuffer struct {
	mu    sync.Mutex
	b     bytes.Buffer
	wrote chan struct{}
}

func newSyncBuffer() *syncBuffer { return &syncBuffer{wrote: make(chan struct{}, 1)} }

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer func() {
		select {
		case s.wrote <- struct{}{}:
		default:
		}
	}()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor waits, with a bound, until the output contains want.
func (s *syncBuffer) waitFor(t *testing.T, want string) {
	t.Helper()
	limit := time.After(60 * time.Second)
	for !strings.Contains(s.String(), want) {
		select {
		case <-s.wrote:
		case <-limit:
			require.FailNow(t, "missing output", "waited 60s for %q; got:\n%s", want, s)
		}
	}
}

func TestWatchNamedLesson(t *testing.T) {
	root, _ := learnerFolderWith2(t)
	stdin, keys := io.Pipe()
	stdout, stderr := newSyncBuffer(), newSyncBuffer()
	done := make(chan int, 1)
	go func() {
		err := run(t.Context(), []string{"watch", "--dir", root, "2"}, stdin, stdout, stderr)
		done <- exitCode(err, stderr)
	}()

	stdout.waitFor(t, "Watching lesson 2 first; a save in any lesson runs that lesson again.")
	stdout.waitFor(t, "running the tests of lessons/")
	stdout.waitFor(t, "\nlesson 2: ")
	assert.Contains(t, stdout.String(), "Next: lesson 2,",
		"watch 2 shows lesson 2's failures, not lesson 1's")

	_, err := keys.Write([]byte("q\n"))
	require.NoError(t, err)
	select {
	case code := <-done:
		assert.Equal(t, 0, code, "q quits watch cleanly; stderr: %s", stderr)
	case <-time.After(30 * time.Second):
		t.Fatal("watch did not quit on q")
	}
}

func TestWatchRejectsUnknownLesson(t *testing.T) {
	root, _ := learnerFolder(t)
	code, _, errOut := callbacklab(t, nil, "watch", "--dir", root, "42")
	assert.Equal(t, 2, code, "an unknown lesson is a usage error; stderr: %s", errOut)
	assert.Contains(t, errOut, `no lesson "42"`,
		"watch reads lesson numbers as check does, and names the one that does not exist")
}
