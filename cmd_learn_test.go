package main

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"callbacklab/lessons"
)

// learnerFolder makes a callbacklab folder as a learner has it, in a temporary folder: this
// module's go.mod and go.sum and lesson 1 as shipped (stub and tests). The hint state and
// backups go to a temporary cache folder.
func learnerFolder(t *testing.T) (root string, lesson lessons.Lesson) {
	t.Helper()
	// Keep the go command's build cache where it was, or every run would compile from
	// scratch; it lives in the user cache folder, which moves next.
	gocache, err := exec("go", "env", "GOCACHE")
	require.NoError(t, err)
	t.Setenv("GOCACHE", gocache)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())

	all, err := lessons.All()
	require.NoError(t, err)
	require.NotEmpty(t, all, "the binary embeds the lessons")
	if _, err := osexec.LookPath("go"); err != nil {
		t.Skip("the go command is needed to run lessons")
	}
	lesson = all[0]

	root = t.TempDir()
	for _, name := range []string{"go.mod", "go.sum"} {
		b, err := os.ReadFile(name)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(root, name), b, 0o644))
	}
	dir := filepath.Join(root, "lessons", lesson.Dir)
	require.NoError(t, os.MkdirAll(dir, 0o755))
	err = fs.WalkDir(lessons.Files(), lesson.Dir, func(p string, d fs.DirEntry, err error) error {
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
	require.NoError(t, err, "copying lesson 1 out of the binary")
	return root, lesson
}

func exec(name string, args ...string) (string, error) {
	var out bytes.Buffer
	cmd := osexec.Command(name, args...)
	cmd.Stdout = &out
	err := cmd.Run()
	return strings.TrimSpace(out.String()), err
}

// callbacklab runs the program with args and returns its exit code and output.
func callbacklab(t *testing.T, stdin io.Reader, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(t.Context(), args, stdin, &stdout, &stderr)
	return exitCode(err, &stderr), stdout.String(), stderr.String()
}

func TestCheckAndSolutionFollowTheLearner(t *testing.T) {
	root, lesson := learnerFolder(t)

	// The untouched stub fails, and the solution stays hidden.
	code, out, errOut := callbacklab(t, nil, "check", "--dir", root)
	assert.Equal(t, 1, code, "check fails while a lesson fails; stderr: %s", errOut)
	assert.Contains(t, out, "0/1 lessons done", "the count comes first")
	assert.Contains(t, out, "Next: lesson 1", "the next step is named")
	assert.Contains(t, out, self()+" hint 1", "the way to a hint is given")
	assert.NotContains(t, out, "\x1b[", "output to a buffer has no colours")

	code, out, _ = callbacklab(t, nil, "solution", "--dir", root, "1")
	assert.Equal(t, 1, code, "no solution before the lesson passes")
	assert.Contains(t, out, "does not pass yet")
	assert.NotContains(t, out, "_solution", "the solution is not shown")

	// Solved: check passes and the solution is shown.
	exercise := filepath.Join(root, "lessons", lesson.Dir, "exercise.go")
	require.NoError(t, os.WriteFile(exercise, lesson.Solution["exercise.go"], 0o644))
	code, out, errOut = callbacklab(t, nil, "check", "--dir", root)
	assert.Equal(t, 0, code, "check passes when every lesson passes; stderr: %s", errOut)
	assert.Contains(t, out, "All 1 lessons pass")
	code, out, _ = callbacklab(t, nil, "solution", "--dir", root, "1")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "==> lessons/"+lesson.Dir+"/_solution/exercise.go <==",
		"once the lesson passes, the reference solution is shown")
}

func TestHintGivesOneTierAtATime(t *testing.T) {
	_, lesson := learnerFolder(t)
	require.GreaterOrEqual(t, len(lesson.Hints), 2, "lesson 1 has tiered hints")

	code, first, _ := callbacklab(t, nil, "hint", "1")
	assert.Equal(t, 0, code)
	assert.Contains(t, first, "hint 1 of", "the first call gives the first tier")
	code, second, _ := callbacklab(t, nil, "hint", "1")
	assert.Equal(t, 0, code)
	assert.Contains(t, second, "hint 2 of", "the second call gives the next tier")
	_, again, _ := callbacklab(t, nil, "hint", "--again", "1")
	assert.Contains(t, again, "hint 1 of", "--again starts over")

	code, _, errOut := callbacklab(t, nil, "hint")
	assert.Equal(t, 2, code, "hint needs a lesson")
	assert.Contains(t, errOut, self()+" hint 2", "the usage error shows an example")
	code, _, errOut = callbacklab(t, nil, "hint", "99")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `no lesson "99" (try a number from 1 to`)
}

func TestResetAsksAndKeepsABackup(t *testing.T) {
	root, lesson := learnerFolder(t)
	exercise := filepath.Join(root, "lessons", lesson.Dir, "exercise.go")
	require.NoError(t, os.WriteFile(exercise, []byte("package callbacks // my work\n"), 0o644))

	code, out, _ := callbacklab(t, strings.NewReader("n\n"), "reset", "--dir", root, "1")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "Nothing was changed", "answering no keeps the files")
	b, _ := os.ReadFile(exercise)
	assert.Equal(t, "package callbacks // my work\n", string(b))

	code, out, _ = callbacklab(t, strings.NewReader("y\n"), "reset", "--dir", root, "1")
	assert.Equal(t, 0, code)
	b, _ = os.ReadFile(exercise)
	assert.Equal(t, string(lesson.Exercise["exercise.go"]), string(b), "the stub is back")
	_, backup, ok := strings.Cut(out, "Your previous files are in ")
	require.True(t, ok, "reset says where the backup is: %s", out)
	b, err := os.ReadFile(filepath.Join(strings.TrimSpace(backup), "exercise.go"))
	require.NoError(t, err, "the backup holds the learner's file")
	assert.Equal(t, "package callbacks // my work\n", string(b))
}

func TestWatchQuitsOnQ(t *testing.T) {
	root, _ := learnerFolder(t)
	stdin, keys := io.Pipe()
	done := make(chan int, 1)
	var stdout, stderr bytes.Buffer
	go func() {
		err := run(t.Context(), []string{"watch", "--dir", root}, stdin, &stdout, &stderr)
		done <- exitCode(err, &stderr)
	}()
	_, err := keys.Write([]byte("q\n"))
	require.NoError(t, err)
	select {
	case code := <-done:
		assert.Equal(t, 0, code, "q quits watch cleanly; stderr: %s", stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatal("watch did not quit on q")
	}
}

func TestLearnCommandsOutsideAFolder(t *testing.T) {
	t.Chdir(t.TempDir())
	code, _, errOut := callbacklab(t, nil, "check")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "run this inside your callbacklab folder",
		"outside a callbacklab folder the learner is told where to run it")
}

func TestSolutionUnlockedByTheInstructor(t *testing.T) {
	root, lesson := learnerFolder(t)
	// The go command keeps its telemetry state in the same configuration folder and may
	// still write there as the test ends, so the folder is removed without t.TempDir's check.
	config, err := os.MkdirTemp("", "callbacklab-config-")
	require.NoError(t, err)
	t.Cleanup(func() { _ = os.RemoveAll(config) })
	t.Setenv("XDG_CONFIG_HOME", config)
	creds := filepath.Join(config, "callbacklab", "workshop-learner.json")
	require.NoError(t, os.MkdirAll(filepath.Dir(creds), 0o755))
	require.NoError(t, os.WriteFile(creds,
		[]byte(`{"token":"t","unlocked":{"1":{"hints":3,"solution":true}}}`), 0o644))

	code, out, errOut := callbacklab(t, nil, "solution", "--dir", root, "1")
	assert.Equal(t, 0, code, "an unlocked solution is shown; stderr: %s", errOut)
	assert.Contains(t, out, "Your instructor unlocked the solution of lesson 1",
		"the learner is told why the solution shows before the lesson passes")
	assert.Contains(t, out, "==> lessons/"+lesson.Dir+"/_solution/exercise.go <==")

	code, out, _ = callbacklab(t, nil, "solution", "--dir", root, "2")
	assert.Equal(t, 1, code, "unlocking lesson 1 does not unlock lesson 2")
	assert.NotContains(t, out, "_solution")
}

func TestHintsStartAgainInAnotherCopy(t *testing.T) {
	first, _ := learnerFolder(t)
	second, _ := learnerFolder(t)
	t.Setenv("XDG_CACHE_HOME", t.TempDir()) // one hint record for both copies

	t.Chdir(first)
	_, out, _ := callbacklab(t, nil, "hint", "1")
	assert.Contains(t, out, "hint 1 of", "the first hint in the first copy")
	_, out, _ = callbacklab(t, nil, "hint", "1")
	assert.Contains(t, out, "hint 2 of", "then the next one")

	t.Chdir(second)
	_, out, _ = callbacklab(t, nil, "hint", "1")
	assert.Contains(t, out, "hint 1 of",
		"a second copy of callbacklab on the same machine starts at the gentle first hint")
}
