package learn

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckTimeout(t *testing.T) {
	tests := []struct {
		name    string
		timeout time.Duration
		wantErr bool
	}{
		{name: "default", timeout: DefaultTimeout},
		{name: "oneMillisecond", timeout: time.Millisecond},
		{name: "zeroMeansNoLimitToGoTest", timeout: 0, wantErr: true},
		{name: "negative", timeout: -5 * time.Second, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckTimeout(tt.timeout)
			if !tt.wantErr {
				assert.NoError(t, err, "a positive timeout is fine")
				return
			}
			require.Error(t, err, "-timeout %v would let a stuck test hang for ever", tt.timeout)
			assert.Contains(t, err.Error(), "more than zero", "the error says what is allowed")
			assert.Contains(t, err.Error(), tt.timeout.String(), "and quotes what was typed")
			assert.NotContains(t, err.Error(), "learn:", "a learner reads it: no package name")
		})
	}
}

func TestRunnerRefusesNegativeTimeout(t *testing.T) {
	tr := NewTracker(fakeLessons)
	r := &Runner{Root: t.TempDir(), Tracker: tr, Timeout: -5 * time.Second,
		GoCommand: "no-such-go-command"}
	err := r.Run(t.Context(), []string{"01-pass"})
	require.Error(t, err, "a negative timeout means no limit to go test, so the runner refuses it")
	assert.NotErrorIs(t, err, ErrNoGo, "it refuses before trying to start go test")
	assert.Contains(t, err.Error(), "-5s", "the error quotes the timeout")
	l, _ := tr.Progress().Lesson("01-pass")
	assert.Equal(t, StateNotRun, l.State, "nothing ran, so the lesson did not change")
}

func TestRunnerCommandInMessages(t *testing.T) {
	tests := []struct {
		name    string
		command string
		want    string
	}{
		{name: "default", want: "`callbacklab reset 02` restores them"},
		{name: "goRun", command: "go run .", want: "`go run . reset 02` restores them"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Runner{Root: "/x", Command: tt.command}
			s := r.lessonState("02-fail", PackageResult{Outcome: PackageNoTests}, 0)
			require.NotEmpty(t, s.Output, "a lesson without test files gets an explanation")
			assert.Contains(t, s.Output[len(s.Output)-1], tt.want,
				"the suggested command is one the learner can type as they run callbacklab")
		})
	}
}
