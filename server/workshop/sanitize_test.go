package workshop

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostile is text a malicious server sends: it would set the terminal's title and clear it.
const hostile = "\x1b]0;PWNED\x07\x1b[2J\u202eevil"

func TestSafeText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "wrong code; check the screen", "wrong code; check the screen"},
		{"escapes", "\x1b[2Jx\x07", `\x1b[2Jx\a`},
		{"bidi override", "a\u202eb", `a\u202eb`},
		{"invalid utf-8", "a\xffb", `a\xffb`},
		{"backslash kept readable", `a\b`, `a\\b`},
		{"letters of any script", "Zoë 李", "Zoë 李"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, SafeText(tt.in), "SafeText(%q)", tt.in)
		})
	}
	long := SafeText(strings.Repeat("a", 5000))
	assert.Equal(t, maxServerText+1, len([]rune(long)), "a long text is cut, with an ellipsis")
}

// hostileServer answers a join with a 403 carrying escape codes, or with unlocks whose keys
// carry them.
func hostileServer(status int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if status != http.StatusOK {
			writeJSON(w, status, map[string]string{"error": hostile})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"id": "0123456789abcdef", "token": "0123456789abcdef.x", "name": "Ada" + hostile,
			"unlocked": map[string]any{
				hostile: map[string]int{"hints": 1}, "007": map[string]int{"hints": 1},
				"100": map[string]int{"hints": 1}, "-1": map[string]int{"hints": 1},
				"2": map[string]int{"hints": 1},
			},
		})
	})
}

func TestReporterRefusalIsSanitized(t *testing.T) {
	mt := &memTransport{}
	mt.set(hostileServer(http.StatusForbidden))
	var log syncBuffer
	rep, err := NewReporter("http://192.0.2.1:8080", "ABCDEF", "Ada",
		&http.Client{Transport: mt}, WithLog(&log), WithCredentialsFile(""))
	require.NoError(t, err)
	err = rep.Join(t.Context())
	var se *ServerError
	require.ErrorAs(t, err, &se, "a 403 is a refusal")
	assert.NotContains(t, se.Msg, "\x1b", "the refusal must not carry escape codes")
	assert.NotContains(t, se.Error(), "\x07", "the refusal must not carry control characters")
	assert.Contains(t, se.Msg, `\x1b]0;PWNED`, "the refusal is still readable, escaped")
}

func TestReporterUnlocksAreSanitized(t *testing.T) {
	mt := &memTransport{}
	mt.set(hostileServer(http.StatusOK))
	var log syncBuffer
	creds := filepath.Join(t.TempDir(), "learner.json")
	rep, err := NewReporter("http://192.0.2.1:8080", "ABCDEF", "Ada",
		&http.Client{Transport: mt}, WithLog(&log), WithCredentialsFile(creds))
	require.NoError(t, err)
	require.NoError(t, rep.Join(t.Context()))

	assert.NotContains(t, log.String(), "\x1b", "nothing the server sent may reach the "+
		"terminal raw:\n%s", log.String())
	assert.Equal(t, Unlocks{"2": {Hints: 1}}, rep.Unlocked(),
		"only decimal lesson keys from 1 to 99 are kept")
	assert.NotContains(t, rep.Name(), "\x1b", "the name the server shows is sanitized")
	b, err := os.ReadFile(creds)
	require.NoError(t, err)
	assert.NotContains(t, string(b), `\u001b`, "bad keys are not saved in the credentials file")

	// A credentials file damaged by an older callbacklab is cleaned when read.
	require.NoError(t, os.WriteFile(creds, []byte(`{"unlocked":{"\u001b[2J":{"hints":1},`+
		`"3":{"hints":2}}}`), 0o600))
	assert.Equal(t, Unlocks{"3": {Hints: 2}}, SavedUnlocks(creds),
		"SavedUnlocks drops keys that are not lesson numbers")
}
