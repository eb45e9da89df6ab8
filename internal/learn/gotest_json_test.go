package learn

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// The fixtures under testdata/gotest are recorded from real runs of
// `go test -json -timeout 3s ./lessons/...` in testdata/fakemod.

func parseFixture(t *testing.T, name string) []PackageResult {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "gotest", name+".jsonl"))
	require.NoError(t, err, "the recorded go test output must exist")
	defer f.Close()
	got, other, err := ParseGoTestJSON(f)
	require.NoError(t, err, "a recorded go test stream must parse")
	assert.Empty(t, other, "every line of a go test -json stream is JSON")
	return got
}

func statuses(p PackageResult) map[string]TestStatus {
	m := map[string]TestStatus{}
	for _, t := range p.Tests {
		m[t.Name] = t.Status
	}
	return m
}

func TestParseGoTestJSON(t *testing.T) {
	tests := []struct {
		name         string
		fixture      string
		wantOutcome  PackageOutcome
		wantStatuses map[string]TestStatus
		wantFailed   []string
		// wantLine is a line the first failure's output (or the build errors) must contain.
		wantLine string
	}{
		{
			name:        "pass",
			fixture:     "pass",
			wantOutcome: PackagePassed,
			wantStatuses: map[string]TestStatus{"TestDouble": TestPassed,
				"TestDoubleZero": TestPassed, "TestDoubleZero/zero": TestPassed},
		},
		{
			name:        "failWithSubtestsAndSkip",
			fixture:     "fail",
			wantOutcome: PackageFailed,
			wantStatuses: map[string]TestStatus{"TestGreet": TestFailed,
				"TestGreetTable": TestFailed, "TestGreetTable/Bo": TestFailed,
				"TestGreetTable/Cy": TestFailed, "TestSkipped": TestSkipped,
				"TestFine": TestPassed},
			wantFailed: []string{"TestGreet", "TestGreetTable/Bo", "TestGreetTable/Cy"},
			wantLine:   `    want: "Hello, Ada!"`,
		},
		{
			name:        "buildError",
			fixture:     "nocompile",
			wantOutcome: PackageBuildFailed,
			wantLine:    "lessons/03-nocompile/exercise.go:5:27: undefined: undefinedThing",
		},
		{
			name:        "panic",
			fixture:     "panic",
			wantOutcome: PackageFailed,
			wantStatuses: map[string]TestStatus{"TestFirst": TestPassed,
				"TestCall": TestFailed},
			wantFailed: []string{"TestCall"},
			wantLine:   "panic: assignment to entry in nil map [recovered, repanicked]",
		},
		{
			name:         "timeout",
			fixture:      "hang",
			wantOutcome:  PackageTimedOut,
			wantStatuses: map[string]TestStatus{"TestWait": TestTimedOut},
			wantFailed:   []string{"TestWait"},
			wantLine:     "panic: test timed out after 3s",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseFixture(t, tt.fixture)
			require.Len(t, got, 1, "a run of one package reports one package")
			p := got[0]
			assert.Equal(t, tt.wantOutcome, p.Outcome, "the package outcome")
			if tt.wantStatuses != nil {
				assert.Empty(t, cmp.Diff(tt.wantStatuses, statuses(p)),
					"test statuses (-want +got)")
			}
			var failed []string
			for _, f := range p.Failed() {
				failed = append(failed, f.Name)
			}
			assert.Equal(t, tt.wantFailed, failed,
				"Failed lists leaf failures, not parents that failed only through a subtest")
			if tt.wantLine == "" {
				return
			}
			lines := p.BuildErrors
			if len(p.Failed()) > 0 {
				lines = p.Failed()[0].Output
			}
			assert.Contains(t, lines, tt.wantLine, "the message a learner needs to see")
			for _, l := range lines {
				assert.NotContains(t, l, "=== RUN", "framing lines are dropped")
				assert.NotContains(t, l, "--- FAIL", "framing lines are dropped")
			}
		})
	}
}

func TestParseGoTestJSONAllPackages(t *testing.T) {
	got := parseFixture(t, "all")
	outcomes := map[string]PackageOutcome{}
	for _, p := range got {
		outcomes[p.ImportPath] = p.Outcome
	}
	want := map[string]PackageOutcome{
		"callbacklab/lessons/01-pass":      PackagePassed,
		"callbacklab/lessons/02-fail":      PackageFailed,
		"callbacklab/lessons/03-nocompile": PackageBuildFailed,
		"callbacklab/lessons/04-panic":     PackageFailed,
		"callbacklab/lessons/05-hang":      PackageTimedOut,
	}
	assert.Empty(t, cmp.Diff(want, outcomes),
		"interleaved events of five packages are told apart (-want +got)")

	// The whole parse is kept as a golden file, so any change in what learners see shows
	// up in review.
	b, err := json.MarshalIndent(got, "", "  ")
	require.NoError(t, err)
	golden := filepath.Join("testdata", "gotest", "all.golden.json")
	if *update {
		require.NoError(t, os.WriteFile(golden, b, 0o644))
	}
	want2, err := os.ReadFile(golden)
	require.NoError(t, err, "run go test -update once to create the golden file")
	assert.Empty(t, cmp.Diff(string(want2), string(b)), "parse of all.jsonl (-want +got)")
}

func TestParseGoTestJSONKeepsOtherLines(t *testing.T) {
	in := "go: cannot find main module\n" +
		`{"Action":"start","Package":"callbacklab/lessons/01-x"}` + "\n"
	got, other, err := ParseGoTestJSON(strings.NewReader(in))
	require.NoError(t, err)
	assert.Equal(t, []string{"go: cannot find main module"}, other,
		"lines that are not events are returned for the learner to read")
	require.Len(t, got, 1)
	assert.Equal(t, PackageRunning, got[0].Outcome, "a package without an end is running")
}

func TestParseGoTestJSONCapsOutput(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"Action":"run","Package":"p","Test":"TestLoud"}` + "\n")
	for range maxOutputLines + 50 {
		b.WriteString(`{"Action":"output","Package":"p","Test":"TestLoud","Output":"spam\n"}` + "\n")
	}
	b.WriteString(`{"Action":"fail","Package":"p","Test":"TestLoud"}` + "\n")
	got, _, err := ParseGoTestJSON(strings.NewReader(b.String()))
	require.NoError(t, err)
	out := got[0].Tests[0].Output
	assert.Len(t, out, maxOutputLines+1, "output past the cap is cut")
	assert.Equal(t, cutMarker, out[len(out)-1], "the cut is marked")
}

func FuzzParseGoTestJSON(f *testing.F) {
	for _, name := range []string{"pass", "fail", "nocompile", "panic", "hang"} {
		b, err := os.ReadFile(filepath.Join("testdata", "gotest", name+".jsonl"))
		require.NoError(f, err)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, _, err := ParseGoTestJSON(strings.NewReader(string(b)))
		if err != nil {
			return
		}
		for _, p := range got {
			_ = p.Failed()
		}
	})
}

// TestFailedInDeclarationOrder checks the failures of parallel tests come in the order the
// tests are declared, although the third test failed first. The fixture is a real run of
// TestFirst (subtests a and b), TestSecond and TestThird, all calling t.Parallel.
func TestFailedInDeclarationOrder(t *testing.T) {
	got := parseFixture(t, "parallel")
	require.Len(t, got, 1, "the fixture holds one package")
	var names []string
	for _, f := range got[0].Failed() {
		names = append(names, f.Name)
	}
	want := []string{"TestFirst/a", "TestFirst/b", "TestSecond", "TestThird"}
	assert.Empty(t, cmp.Diff(want, names),
		"the first task's failures come first, then the others as declared (-want +got)")

	l := LessonState{Tests: got[0].Tests}
	assert.Equal(t, "TestFirst/a", l.FirstFailure(),
		"the first failure a learner sees belongs to the first task")
}
