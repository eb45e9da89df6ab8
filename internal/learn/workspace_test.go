package learn

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLessonByKey(t *testing.T) {
	tests := []struct {
		name    string
		key     string
		wantDir string
		wantErr string
	}{
		{name: "number", key: "2", wantDir: "02-fail"},
		{name: "paddedNumber", key: "02", wantDir: "02-fail"},
		{name: "folder", key: "03-nocompile", wantDir: "03-nocompile"},
		// The command line prints "callbacklab: " and the error, so the error carries no
		// package name of its own and reads like the hint command's.
		{name: "unknownNumber", key: "99", wantErr: `no lesson "99" (try a number from 1 to 5)`},
		{name: "word", key: "first", wantErr: `no lesson "first" (try a number from 1 to 5)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := LessonByKey(fakeLessons, tt.key)
			if tt.wantErr != "" {
				require.Error(t, err, "key %q names no lesson", tt.key)
				assert.Equal(t, tt.wantErr, err.Error(),
					"the learner reads which key is wrong and what to type instead")
				return
			}
			require.NoError(t, err, "key %q names a lesson", tt.key)
			assert.Equal(t, tt.wantDir, got.Dir, "key %q names this lesson", tt.key)
		})
	}
}

func TestNoWorkspaceErrorHasNoPackagePrefix(t *testing.T) {
	assert.NotContains(t, ErrNoWorkspace.Error(), "learn:",
		"the command line adds its own prefix; a package name means nothing to a learner")
}
