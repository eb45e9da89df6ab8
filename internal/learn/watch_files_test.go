package learn

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// waitLimit bounds every wait for a file event; events normally arrive in milliseconds.
const waitLimit = 10 * time.Second

// newLessonTree makes root/lessons/01-a and 02-b, each with exercise.go.
func newLessonTree(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for _, d := range []string{"01-a", "02-b"} {
		require.NoError(t, os.MkdirAll(filepath.Join(root, "lessons", d), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(root, "lessons", d, "exercise.go"),
			[]byte("package a\n"), 0o644))
	}
	return root
}

// nextChange waits for the next batch of saves, with a bound.
func nextChange(t *testing.T, ch <-chan Change) Change {
	t.Helper()
	select {
	case c, ok := <-ch:
		require.True(t, ok, "the watch must not stop while the test runs")
		return c
	case <-time.After(waitLimit):
		require.FailNow(t, "no change reported", "waited %s for a save to be seen", waitLimit)
		return Change{}
	}
}

func TestFileWatchSeesEverySaveStyle(t *testing.T) {
	saves := []struct {
		name string
		save func(t *testing.T, dir string)
	}{
		{name: "writeInPlace", save: func(t *testing.T, dir string) {
			f, err := os.OpenFile(filepath.Join(dir, "exercise.go"), os.O_WRONLY|os.O_TRUNC, 0)
			require.NoError(t, err)
			_, err = f.WriteString("package a // edited\n")
			require.NoError(t, err)
			require.NoError(t, f.Close())
		}},
		{name: "atomicRename", save: func(t *testing.T, dir string) {
			tmp := filepath.Join(dir, ".exercise.go.swp")
			require.NoError(t, os.WriteFile(tmp, []byte("package a // renamed\n"), 0o644))
			require.NoError(t, os.Rename(tmp, filepath.Join(dir, "exercise.go")))
		}},
		{name: "deleteAndRecreate", save: func(t *testing.T, dir string) {
			require.NoError(t, os.Remove(filepath.Join(dir, "exercise.go")))
			require.NoError(t, os.WriteFile(filepath.Join(dir, "exercise.go"),
				[]byte("package a // new\n"), 0o644))
		}},
		{name: "newFile", save: func(t *testing.T, dir string) {
			require.NoError(t, os.WriteFile(filepath.Join(dir, "helper.go"),
				[]byte("package a\n"), 0o644))
		}},
		{name: "sameContent", save: func(t *testing.T, dir string) {
			// An editor that saves a file unchanged writes the same bytes again.
			path := filepath.Join(dir, "helper.go")
			b, err := os.ReadFile(path)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(path, b, 0o644))
		}},
		{name: "touch", save: func(t *testing.T, dir string) {
			// What `touch exercise.go` does: a new modification time, nothing else.
			now := time.Now()
			require.NoError(t, os.Chtimes(filepath.Join(dir, "exercise.go"), now, now))
		}},
	}
	for _, poll := range []bool{false, true} {
		mode := "fsnotify"
		if poll {
			mode = "poll"
		}
		t.Run(mode, func(t *testing.T) {
			root := newLessonTree(t)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			ch, err := FileWatch{Root: root, Poll: poll, PollInterval: 20 * time.Millisecond,
				Debounce: 30 * time.Millisecond}.Watch(ctx)
			require.NoError(t, err, "watching a fresh lesson tree")

			for _, s := range saves {
				dir := filepath.Join(root, "lessons", "02-b")
				s.save(t, dir)
				c := nextChange(t, ch)
				assert.Equal(t, []string{"02-b"}, c.Dirs,
					"%s: a %s save of 02-b reports that lesson alone", mode, s.name)
			}

			// Removing a whole lesson folder and creating it again keeps it watched.
			dir := filepath.Join(root, "lessons", "01-a")
			require.NoError(t, os.RemoveAll(dir))
			assert.Equal(t, []string{"01-a"}, nextChange(t, ch).Dirs,
				"removing a lesson folder is a change of that lesson")
			require.NoError(t, os.MkdirAll(dir, 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(dir, "exercise.go"),
				[]byte("package a\n"), 0o644))
			assert.Equal(t, []string{"01-a"}, nextChange(t, ch).Dirs,
				"a recreated lesson folder is seen")
			require.NoError(t, os.WriteFile(filepath.Join(dir, "exercise.go"),
				[]byte("package a // again\n"), 0o644))
			assert.Equal(t, []string{"01-a"}, nextChange(t, ch).Dirs,
				"saves in a recreated lesson folder are seen")
		})
	}
}

func TestFileWatchIgnoresOtherFiles(t *testing.T) {
	root := newLessonTree(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	ch, err := FileWatch{Root: root, Debounce: 30 * time.Millisecond}.Watch(ctx)
	require.NoError(t, err)

	// Noise first, then a real save: the first batch must be the real save alone.
	dir := filepath.Join(root, "lessons", "01-a")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, ".exercise.go.swp"), []byte("x"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(root, "lessons", "README.md"), nil, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(root, "lessons", "02-b", "exercise.go"),
		[]byte("package a // saved\n"), 0o644))
	assert.Equal(t, []string{"02-b"}, nextChange(t, ch).Dirs,
		"text files, editor swap files and files outside lesson folders start no run")
}

func TestFileWatchIgnoresPermissionChanges(t *testing.T) {
	for _, poll := range []bool{false, true} {
		t.Run(map[bool]string{false: "fsnotify", true: "poll"}[poll], func(t *testing.T) {
			root := newLessonTree(t)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			ch, err := FileWatch{Root: root, Poll: poll, PollInterval: 20 * time.Millisecond,
				Debounce: 30 * time.Millisecond}.Watch(ctx)
			require.NoError(t, err)

			// A change of permissions first, then a touch: the first batch is the touch.
			require.NoError(t, os.Chmod(filepath.Join(root, "lessons", "01-a", "exercise.go"),
				0o600))
			now := time.Now()
			require.NoError(t, os.Chtimes(filepath.Join(root, "lessons", "02-b", "exercise.go"),
				now, now))
			assert.Equal(t, []string{"02-b"}, nextChange(t, ch).Dirs,
				"a touch starts a run; a change of permissions alone does not")
		})
	}
}

func TestFileWatchDebouncesBursts(t *testing.T) {
	root := newLessonTree(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	// A long debounce makes sure the burst below lands in one batch on a slow machine.
	ch, err := FileWatch{Root: root, Debounce: 300 * time.Millisecond}.Watch(ctx)
	require.NoError(t, err)
	for i := range 5 {
		for _, d := range []string{"01-a", "02-b"} {
			require.NoError(t, os.WriteFile(filepath.Join(root, "lessons", d, "exercise.go"),
				[]byte("package a // "+string(rune('0'+i))+"\n"), 0o644))
		}
	}
	c := nextChange(t, ch)
	assert.ElementsMatch(t, []string{"01-a", "02-b"}, c.Dirs,
		"ten saves in a burst are one batch naming both lessons")
	assert.False(t, c.At.IsZero(), "the batch says when the first save was seen")
}
