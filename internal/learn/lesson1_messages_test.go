package learn

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lesson1 is the folder of the first lesson, whose failure messages a newcomer reads first.
const lesson1 = "lessons/01-first-callbacks"

// TestLesson1Messages runs lesson 1's real tests against the reference solution with one
// typical mistake made in it, and checks the message the learner then reads names the
// mistake. The code is swapped in with go test's -overlay flag, so no file changes.
func TestLesson1Messages(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command on lesson 1; skipped with -short")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is needed to run lessons")
	}
	root, err := FindRoot(".")
	require.NoError(t, err, "the tests run inside the callbacklab module")
	solution, err := os.ReadFile(filepath.Join(root, lesson1, "_solution", "exercise.go"))
	require.NoError(t, err, "lesson 1 has a reference solution")

	tests := []struct {
		name string
		// old and new are a change to the solution that makes the mistake.
		old, new string
		test     string
		want     []string
		notWant  []string
	}{
		{
			name: "errorNotWrapped",
			old:  `fmt.Errorf("%w: %s", ErrMissingField, f.name)`,
			new:  `errors.New("missing " + f.name)`,
			test: "TestBookTicket/missing_name",
			want: []string{`use fmt.Errorf("%w: ...", ErrMissingField, ...)`},
			// The error's text is not what a learner types in code.
			notWant: []string{`"%w: ...", callbacks: missing field`},
		},
		{
			name:    "tallyCountsFailuresAsConfirmedToo",
			old:     "bad++\n\t\t\treturn",
			new:     "bad++",
			test:    "TestTally",
			want:    []string{"it returned (5, 2)", "counted twice"},
			notWant: []string{"share the same counters"},
		},
		{
			name:    "tallyCountsTheWrongKind",
			old:     "if err != nil {\n\t\t\tbad++",
			new:     "if err == nil {\n\t\t\tbad++",
			test:    "TestTally",
			want:    []string{"it returned (2, 3)", "the wrong kind"},
			notWant: []string{"share the same counters"},
		},
		{
			name:    "tallyCountersNotShared",
			old:     "return ok, bad",
			new:     "var ok, bad int; return ok, bad",
			test:    "TestTally",
			want:    []string{"it returned (0, 0)", "share the same counters"},
			notWant: []string{"counted twice", "wrong kind"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Contains(t, string(solution), tt.old,
				"the mistake is made by changing this text of the reference solution")
			code := strings.Replace(string(solution), tt.old, tt.new, 1)
			if strings.Contains(tt.new, "errors.") && !strings.Contains(code, `"errors"`) {
				code = strings.Replace(code, "import (", "import (\n\t\"errors\"", 1)
			}
			got := failureLines(t, root, code, tt.test)
			for _, w := range tt.want {
				assert.Contains(t, got, w, "the message for this mistake says so")
			}
			for _, nw := range tt.notWant {
				assert.NotContains(t, got, nw, "the message does not point at another mistake")
			}
		})
	}
}

// failureLines runs lesson 1's test named test with code in place of exercise.go and returns
// the failure's lines as the learner sees them, joined.
func failureLines(t *testing.T, root, code, test string) string {
	t.Helper()
	dir := t.TempDir()
	exercise := filepath.Join(dir, "exercise.go")
	require.NoError(t, os.WriteFile(exercise, []byte(code), 0o644))
	overlay := filepath.Join(dir, "overlay.json")
	replace := `{"Replace":{"` + filepath.Join(root, lesson1, "exercise.go") + `":"` + exercise + `"}}`
	require.NoError(t, os.WriteFile(overlay, []byte(replace), 0o644))

	cmd := exec.CommandContext(t.Context(), "go", "test", "-json", "-timeout", "30s",
		"-overlay", overlay, "-run", "^"+strings.Split(test, "/")[0]+"$", "./"+lesson1)
	cmd.Dir = root
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	_ = cmd.Run() // the test fails on purpose
	results, _, err := ParseGoTestJSON(&stdout)
	require.NoError(t, err, "go test -json output parses")
	require.Len(t, results, 1, "one package ran")
	require.Equal(t, PackageFailed, results[0].Outcome, "the mistake compiles and fails a test: %v",
		results[0].BuildErrors)
	for _, f := range results[0].Failed() {
		if f.Name == test {
			return strings.Join(Shorten(f), "\n")
		}
	}
	require.FailNow(t, "the mistake must fail "+test)
	return ""
}
