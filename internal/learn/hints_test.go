package learn

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHintStoreGivesOneTierAtATime(t *testing.T) {
	s := HintStore{Path: filepath.Join(t.TempDir(), "callbacklab", "hints.json")}
	hints := []string{"gentle", "closer", "nearly the answer"}

	var got []Hint
	for range 4 {
		h, err := s.Next("02-fail", hints)
		require.NoError(t, err)
		got = append(got, h)
	}
	assert.Equal(t, []Hint{
		{Tier: 1, Total: 3, Text: "gentle"},
		{Tier: 2, Total: 3, Text: "closer"},
		{Tier: 3, Total: 3, Text: "nearly the answer"},
		{Tier: 3, Total: 3, Text: "nearly the answer", Repeat: true},
	}, got, "hints come one tier at a time, and the last one repeats")

	// Another lesson has its own count, and a fresh store reads the same file.
	h, err := HintStore{Path: s.Path}.Next("01-pass", hints)
	require.NoError(t, err)
	assert.Equal(t, 1, h.Tier, "each lesson counts its own hints")
	n, err := s.Seen("02-fail")
	require.NoError(t, err)
	assert.Equal(t, 3, n, "the count survives in the state file")

	require.NoError(t, s.Forget("02-fail"))
	h, err = s.Next("02-fail", hints)
	require.NoError(t, err)
	assert.Equal(t, 1, h.Tier, "after Forget the hints start again")
}

func TestHintStoreSurvivesADamagedFile(t *testing.T) {
	s := HintStore{Path: filepath.Join(t.TempDir(), "hints.json")}
	require.NoError(t, os.WriteFile(s.Path, []byte("{not json"), 0o644))
	h, err := s.Next("01-pass", []string{"one"})
	require.NoError(t, err, "a damaged state file is not the learner's problem")
	assert.Equal(t, 1, h.Tier)
	_, err = s.Next("01-pass", nil)
	assert.Error(t, err, "a lesson without hints says so")
}

func TestResetBacksUpAndRestores(t *testing.T) {
	lesson := filepath.Join(t.TempDir(), "02-fail")
	require.NoError(t, os.MkdirAll(lesson, 0o755))
	write := func(name, body string) {
		require.NoError(t, os.WriteFile(filepath.Join(lesson, name), []byte(body), 0o644))
	}
	write("exercise.go", "package fail // my attempt\n")
	write("exercise_test.go", "package fail // tests\n")
	write("helper.go", "package fail // mine\n")
	original := map[string][]byte{
		"exercise.go":      []byte("package fail // stub\n"),
		"exercise_test.go": []byte("package fail // tests\n"),
		"other.go":         []byte("package fail // deleted by the learner\n"),
	}

	plan, err := PlanReset(lesson, original)
	require.NoError(t, err)
	assert.Equal(t, []string{"exercise.go", "other.go"}, plan.Changed,
		"edited and missing files are restored; unchanged ones are left alone")
	assert.Equal(t, []string{"helper.go"}, plan.Extra, "the learner's own files are listed")

	backups := t.TempDir()
	backup, err := plan.Apply(backups, fixedTime)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(backups, "02-fail-20260102-030405"), backup)

	read := func(dir, name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		return string(b)
	}
	assert.Equal(t, "package fail // my attempt\n", read(backup, "exercise.go"),
		"the learner's attempt is kept in the backup")
	assert.Equal(t, "package fail // stub\n", read(lesson, "exercise.go"), "the stub is back")
	assert.Equal(t, "package fail // deleted by the learner\n", read(lesson, "other.go"))
	assert.Equal(t, "package fail // mine\n", read(lesson, "helper.go"),
		"reset never touches files the lesson did not ship with")

	plan, err = PlanReset(lesson, original)
	require.NoError(t, err)
	assert.Empty(t, plan.Changed, "after a reset there is nothing left to restore")
}
