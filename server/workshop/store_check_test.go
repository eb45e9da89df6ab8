package workshop

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// goodLearner is a well-formed saved learner, for building damaged files around.
const goodLearner = `"0123456789abcdef":{"id":"0123456789abcdef","name":"Ada",` +
	`"tokenHash":"` + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" + `"`

func roomFile(code, learners, unlocked string) string {
	return `{"version":1,"code":"` + code + `","instructorToken":"abcdefghijklmnopqrstuvwxyz",` +
		`"learners":{` + learners + `},"unlocked":{` + unlocked + `}}`
}

func TestLoadRefusesDamagedRooms(t *testing.T) {
	tests := []struct{ name, file string }{
		{"null learner", roomFile("ABCDEF", `"0123456789abcdef":null`, "")},
		{"null lesson", roomFile("ABCDEF", goodLearner+`,"lessons":{"1":null}}`, "")},
		{"lesson out of range", roomFile("ABCDEF",
			goodLearner+`,"lessons":{"0":{"state":"done"}}}`, "")},
		{"unknown state", roomFile("ABCDEF", goodLearner+`,"lessons":{"1":{"state":"x"}}}`, "")},
		{"id not hex", roomFile("ABCDEF", strings.ReplaceAll(goodLearner, "0123456789abcdef\"",
			"../../etc/passwd\"")+"}", "")},
		{"id differs from key", roomFile("ABCDEF", strings.Replace(goodLearner,
			`"id":"0123456789abcdef"`, `"id":"fedcba9876543210"`, 1)+"}", "")},
		{"control name", roomFile("ABCDEF", strings.Replace(goodLearner, `"Ada"`,
			`"Ada\u001b[2J"`, 1)+"}", "")},
		{"code too short", roomFile("ABC", "", "")},
		{"code with look-alikes", roomFile("ABCDE0", "", "")},
		{"unlock of lesson 0", roomFile("ABCDEF", "", `"0":{"hints":1}`)},
		{"negative hints", roomFile("ABCDEF", "", `"1":{"hints":-1}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "workshop.json")
			require.NoError(t, os.WriteFile(path, []byte(tt.file), 0o600))
			_, _, err := Load(path, testLessons, nil)
			require.Error(t, err, "a damaged room file must be refused, not crash later")
			assert.Contains(t, err.Error(), "is damaged", "the message says what is wrong")
			assert.Contains(t, err.Error(), "move it away", "the message says what to do")
		})
	}
}

func TestLoadNormalizesTheCode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "workshop.json")
	file := roomFile("abc-de f", goodLearner+`,"lessons":{"1":{"state":"done"}}}`, "")
	require.NoError(t, os.WriteFile(path, []byte(file), 0o600))
	r, fresh, err := Load(path, testLessons, nil)
	require.NoError(t, err, "a well-formed room file loads")
	assert.False(t, fresh)
	assert.Equal(t, "ABCDEF", r.Code(), "the code is shown as learners must type it")
	_, _, _, err = r.Join("ABCDEF", "Bob")
	assert.NoError(t, err, "the code shown is the code that works")
}

func TestLoadKeepsNamesTheRoomNumbered(t *testing.T) {
	path := filepath.Join(t.TempDir(), "workshop.json")
	r, _ := newTestRoom(t)
	for _, name := range []string{"Ada", "ada", "Ada"} {
		_, _, _, err := r.Join(r.Code(), name)
		require.NoError(t, err)
	}
	_, err := Save(path, r)
	require.NoError(t, err)
	loaded, _, err := Load(path, testLessons, nil)
	require.NoError(t, err, "names the room numbered itself load again")
	assert.Len(t, loaded.View().Learners, 3)
}

// FuzzLoad checks that no room file, however damaged, makes Load or the loaded room panic.
func FuzzLoad(f *testing.F) {
	f.Add(roomFile("ABCDEF", goodLearner+`,"lessons":{"1":{"state":"done"}}}`, `"1":{"hints":1}`))
	f.Add(roomFile("ABCDEF", `"0123456789abcdef":null`, ""))
	f.Add(roomFile("abc-de", goodLearner+`,"lessons":{"1":null}}`, ""))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, file string) {
		path := filepath.Join(dir, "workshop.json")
		require.NoError(t, os.WriteFile(path, []byte(file), 0o600))
		r, _, err := Load(path, testLessons, nil)
		if err != nil {
			return
		}
		_ = r.View()
		for _, l := range r.View().Learners {
			_, _ = r.Report(l.ID, Status{Lessons: []LessonStatus{{Lesson: 1, State: StateDone}}})
		}
		_, _ = r.Unlock(1, "hint")
		_, err = Save(path, r)
		require.NoError(t, err, "a room that loaded saves again")
	})
}

// FuzzSafeText checks that SafeText never lets a control character through.
func FuzzSafeText(f *testing.F) {
	f.Add(hostile)
	f.Add("a\xffb\u202e")
	f.Fuzz(func(t *testing.T, s string) {
		for _, r := range SafeText(s) {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u202e' {
				t.Fatalf("SafeText(%q) lets %U through", s, r)
			}
		}
	})
}
