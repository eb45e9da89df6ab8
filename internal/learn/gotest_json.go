package learn

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// event is one line of `go test -json` output, as test2json and the go command (1.24+, for
// build output) write it.
type event struct {
	Time        time.Time
	Action      string
	Package     string
	ImportPath  string
	Test        string
	Output      string
	Elapsed     float64
	FailedBuild string
}

// maxOutputLines is how many output lines of one test the parser keeps; a test that prints
// in an endless loop must not fill the memory or the screen.
const maxOutputLines = 200

// cutMarker replaces the output lines past maxOutputLines.
const cutMarker = "[... more output cut ...]"

// TestStatus is the outcome of one test.
type TestStatus string

// The outcomes of a test.
const (
	// TestRunning means the test started and has not finished (yet).
	TestRunning TestStatus = "running"
	// TestPassed means the test passed.
	TestPassed TestStatus = "pass"
	// TestFailed means the test failed or panicked.
	TestFailed TestStatus = "fail"
	// TestSkipped means the test called t.Skip.
	TestSkipped TestStatus = "skip"
	// TestTimedOut means the test was still running when the test binary's timeout fired.
	TestTimedOut TestStatus = "timeout"
)

// TestResult is the outcome of one test or subtest, such as "TestGreet/empty_name".
type TestResult struct {
	// Name is the full test name, subtests included.
	Name string `json:"name"`
	// Status is the outcome.
	Status TestStatus `json:"status"`
	// Output is what the test printed (t.Log, t.Error, a panic), one line per entry, without
	// the "=== RUN" and "--- FAIL" framing lines and without the leading indentation.
	Output []string `json:"output,omitempty"`
	// Elapsed is how long the test ran, as the test binary measured it.
	Elapsed time.Duration `json:"elapsed"`
}

// Passed reports whether the test passed or was skipped.
func (t TestResult) Passed() bool {
	return t.Status == TestPassed || t.Status == TestSkipped
}

// PackageOutcome is the outcome of one package's `go test` run.
type PackageOutcome string

// The outcomes of a package.
const (
	// PackageRunning means the package has not finished (yet).
	PackageRunning PackageOutcome = "running"
	// PackagePassed means every test passed.
	PackagePassed PackageOutcome = "pass"
	// PackageFailed means at least one test failed, or the test binary crashed.
	PackageFailed PackageOutcome = "fail"
	// PackageBuildFailed means the package or its tests did not compile (or vet failed).
	PackageBuildFailed PackageOutcome = "build-fail"
	// PackageTimedOut means the test binary was stopped by its -timeout.
	PackageTimedOut PackageOutcome = "timeout"
	// PackageNoTests means the package has no test files.
	PackageNoTests PackageOutcome = "no-tests"
)

// PackageResult is everything `go test -json` said about one package.
type PackageResult struct {
	// ImportPath is the package's import path, such as "callbacklab/lessons/01-first-callbacks".
	ImportPath string
	// Outcome is the package's outcome.
	Outcome PackageOutcome
	// Tests are the package's tests and subtests in the order they started; [PackageResult.Failed]
	// puts the failures in declaration order.
	Tests []TestResult
	// BuildErrors are the compiler's (or vet's) messages when the build failed.
	BuildErrors []string
	// Output is output not attached to any test, such as a panic in a goroutine after the
	// tests finished; the final "FAIL" and "ok" summary lines are left out.
	Output []string
	// Elapsed is how long the test binary ran.
	Elapsed time.Duration
}

// Failed returns the tests that failed or timed out, leaving out a parent test whose failure
// is only that one of its subtests failed. They come in the order the tests are declared in
// the test files, each test's subtests in the order they started: parallel tests finish in
// any order, and a lesson's first test is its first task, so its failure is the one to read
// first.
func (p PackageResult) Failed() []TestResult {
	// A top-level test's first "run" event comes in declaration order, even for parallel
	// tests: they start one after the other and pause before the first of them goes on.
	rank := map[string]int{}
	for i, t := range p.Tests {
		if _, ok := rank[topLevel(t.Name)]; !ok {
			rank[topLevel(t.Name)] = i
		}
	}

	var out []TestResult
	for i, t := range p.Tests {
		if t.Passed() || t.Status == TestRunning {
			continue
		}
		if len(t.Output) == 0 && hasFailedChild(p.Tests[i+1:], t.Name) {
			continue
		}
		out = append(out, t)
	}
	slices.SortStableFunc(out, func(a, b TestResult) int {
		return cmp.Compare(rank[topLevel(a.Name)], rank[topLevel(b.Name)])
	})
	return out
}

// topLevel returns the top-level test of a test or subtest name ("TestA" for "TestA/x/y").
func topLevel(name string) string {
	top, _, _ := strings.Cut(name, "/")
	return top
}

func hasFailedChild(tests []TestResult, parent string) bool {
	for _, t := range tests {
		if strings.HasPrefix(t.Name, parent+"/") && !t.Passed() {
			return true
		}
	}
	return false
}

// parser turns a stream of `go test -json` events into per-package results. It is fed one
// line at a time, so the runner can show results while a run is still going.
type parser struct {
	pkgs  map[string]*PackageResult
	order []string
	// build holds build output by the ImportPath of the build-output events, which names the
	// package being compiled (possibly a dependency), to be attached when a package fails.
	build map[string][]string
	// tests indexes each package's tests by name.
	tests map[string]map[string]int
}

func newParser() *parser {
	return &parser{
		pkgs:  map[string]*PackageResult{},
		build: map[string][]string{},
		tests: map[string]map[string]int{},
	}
}

// ParseGoTestJSON reads a whole `go test -json` stream and returns one result per package in
// the order the packages first appeared. Lines that are not JSON (the go command's own
// errors) are returned in other.
func ParseGoTestJSON(r io.Reader) (results []PackageResult, other []string, err error) {
	p := newParser()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 4*1024*1024)
	for sc.Scan() {
		if _, ok := p.line(sc.Bytes()); !ok && len(strings.TrimSpace(sc.Text())) > 0 {
			other = append(other, sc.Text())
		}
	}
	if err := sc.Err(); err != nil {
		return nil, other, fmt.Errorf("learn: reading go test output: %w", err)
	}
	return p.results(), other, nil
}

// results returns a copy of every package's result so far.
func (p *parser) results() []PackageResult {
	out := make([]PackageResult, 0, len(p.order))
	for _, name := range p.order {
		out = append(out, p.result(name))
	}
	return out
}

// result returns a copy of one package's result.
func (p *parser) result(name string) PackageResult {
	r := *p.pkgs[name]
	r.Tests = make([]TestResult, len(r.Tests))
	for i, t := range p.pkgs[name].Tests {
		t.Output = append([]string(nil), t.Output...)
		r.Tests[i] = t
	}
	r.BuildErrors = append([]string(nil), r.BuildErrors...)
	r.Output = append([]string(nil), r.Output...)
	return r
}

// line feeds one line of output to the parser. It returns the package the line was about and
// whether the line was a test2json event at all.
func (p *parser) line(b []byte) (pkg string, ok bool) {
	var e event
	if len(b) == 0 || b[0] != '{' || json.Unmarshal(b, &e) != nil || e.Action == "" {
		return "", false
	}

	switch e.Action {
	case "build-output":
		p.build[e.ImportPath] = append(p.build[e.ImportPath], splitLines(e.Output)...)
		return buildPackage(e.ImportPath), true
	case "build-fail":
		return buildPackage(e.ImportPath), true
	}
	if e.Package == "" {
		return "", true
	}
	pr := p.pkg(e.Package)
	if e.Test != "" {
		p.testEvent(pr, e)
		return e.Package, true
	}
	p.packageEvent(pr, e)
	return e.Package, true
}

// buildPackage turns a build ImportPath such as "x/y [x/y.test]" into "x/y".
func buildPackage(importPath string) string {
	name, _, _ := strings.Cut(importPath, " ")
	return name
}

func (p *parser) pkg(name string) *PackageResult {
	if pr, ok := p.pkgs[name]; ok {
		return pr
	}
	pr := &PackageResult{ImportPath: name, Outcome: PackageRunning}
	p.pkgs[name] = pr
	p.tests[name] = map[string]int{}
	p.order = append(p.order, name)
	return pr
}

func (p *parser) testEvent(pr *PackageResult, e event) {
	idx, ok := p.tests[pr.ImportPath][e.Test]
	if !ok {
		pr.Tests = append(pr.Tests, TestResult{Name: e.Test, Status: TestRunning})
		idx = len(pr.Tests) - 1
		p.tests[pr.ImportPath][e.Test] = idx
	}
	t := &pr.Tests[idx]

	switch e.Action {
	case "output":
		for _, l := range splitLines(e.Output) {
			keep, text := testLine(l)
			switch {
			case !keep:
			case len(t.Output) < maxOutputLines:
				t.Output = append(t.Output, text)
			case len(t.Output) == maxOutputLines:
				t.Output = append(t.Output, cutMarker)
			}
		}
	case "pass":
		t.Status, t.Elapsed = TestPassed, seconds(e.Elapsed)
	case "fail":
		t.Status, t.Elapsed = TestFailed, seconds(e.Elapsed)
	case "skip":
		t.Status, t.Elapsed = TestSkipped, seconds(e.Elapsed)
	}
}

func (p *parser) packageEvent(pr *PackageResult, e event) {
	switch e.Action {
	case "output":
		for _, l := range splitLines(e.Output) {
			if !summaryLine(l) && len(pr.Output) < maxOutputLines {
				pr.Output = append(pr.Output, strings.TrimRight(l, " \t"))
			}
		}
	case "pass":
		pr.Outcome, pr.Elapsed = PackagePassed, seconds(e.Elapsed)
	case "skip":
		pr.Outcome, pr.Elapsed = PackageNoTests, seconds(e.Elapsed)
	case "fail":
		pr.Elapsed = seconds(e.Elapsed)
		pr.Outcome = PackageFailed
		if e.FailedBuild != "" {
			pr.Outcome = PackageBuildFailed
			pr.BuildErrors = append(pr.BuildErrors, p.build[e.FailedBuild]...)
		}
		p.finishRunning(pr)
	}
}

// finishRunning marks tests that never finished. A test binary that timed out prints
// "panic: test timed out" inside the running test's output and then exits; the tests
// still running at that moment get no pass or fail event of their own.
func (p *parser) finishRunning(pr *PackageResult) {
	timedOut := false
	for _, t := range pr.Tests {
		for _, l := range t.Output {
			if strings.HasPrefix(l, "panic: test timed out after ") {
				timedOut = true
			}
		}
	}
	if timedOut {
		pr.Outcome = PackageTimedOut
	}
	for i := range pr.Tests {
		if pr.Tests[i].Status != TestRunning {
			continue
		}
		pr.Tests[i].Status = TestFailed
		if timedOut {
			pr.Tests[i].Status = TestTimedOut
		}
	}
}

// testLine reports whether an output line of a test is worth keeping and returns it without
// the indentation the testing package adds.
func testLine(l string) (bool, string) {
	trimmed := strings.TrimSpace(l)
	for _, prefix := range []string{"=== RUN", "=== PAUSE", "=== CONT", "=== NAME",
		"--- PASS:", "--- FAIL:", "--- SKIP:"} {
		if strings.HasPrefix(trimmed, prefix) {
			return false, ""
		}
	}
	return true, strings.TrimRight(strings.TrimPrefix(l, "    "), " \t")
}

// summaryLine reports whether l is one of the go command's per-package summary lines.
func summaryLine(l string) bool {
	for _, prefix := range []string{"PASS", "FAIL", "ok  \t", "ok \t", "?   \t", "testing: warning"} {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	return strings.HasPrefix(l, "coverage:")
}

// splitLines splits the Output of one event into lines without their newline.
func splitLines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return []string{""}
	}
	return strings.Split(s, "\n")
}

func seconds(f float64) time.Duration {
	return time.Duration(f * float64(time.Second)).Round(time.Millisecond)
}
