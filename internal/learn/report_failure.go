package learn

import (
	"regexp"
	"strings"
)

// framePattern finds a source position inside a lesson in a stack trace line.
var framePattern = regexp.MustCompile(`(lessons/\d\d-[a-z0-9-]+/[^\s:]+\.go:\d+)`)

// recoveredPattern matches the testing package's note on a re-raised panic.
var recoveredPattern = regexp.MustCompile(` \[recovered[^\]]*\]$`)

// Shorten returns the lines of a failure worth reading: for a panic or a timeout, the panic
// message and the places in the lesson's files where it happened, without the goroutine
// dumps; otherwise the test's output as it is.
func Shorten(t TestResult) []string {
	panicAt := -1
	for i, l := range t.Output {
		if strings.HasPrefix(l, "panic: ") {
			panicAt = i
			break
		}
	}
	if panicAt < 0 {
		return shortenTestify(t.Output)
	}

	out := append([]string(nil), t.Output[:panicAt]...)
	msg := recoveredPattern.ReplaceAllString(t.Output[panicAt], "")
	if t.Status == TestTimedOut || strings.HasPrefix(msg, "panic: test timed out") {
		out = append(out, strings.TrimPrefix(msg, "panic: "),
			"something never finished: an endless loop, or a wait for a value,",
			"a lock or a callback that never comes?")
	} else {
		out = append(out, msg)
	}
	seen := map[string]bool{}
	for _, l := range t.Output[panicAt+1:] {
		m := framePattern.FindString(l)
		if m == "" || seen[m] {
			continue
		}
		seen[m] = true
		out = append(out, "at "+m)
	}
	return out
}

// testifyField matches a line of a testify assertion block after the testing package's
// indentation was removed: a tab, an optional "Name:" padded with spaces, a tab, the value.
var testifyField = regexp.MustCompile(`^\s*\t(?:([A-Za-z ]+):)?\s*\t(.*)$`)

// shortenTestify rewrites testify's assertion blocks (Error Trace, Error, Test, Messages)
// into what a learner reads first: the place and the message, then the error with
// expected and actual. The diff is kept only when expected or actual spans several lines.
// Other lines pass through unchanged.
func shortenTestify(lines []string) []string {
	var out []string
	for i := 0; i < len(lines); i++ {
		m := testifyField.FindStringSubmatch(lines[i])
		if m == nil || m[1] != "Error Trace" {
			out = append(out, lines[i])
			continue
		}

		// Gather the block's fields.
		fields := map[string][]string{}
		key := ""
		for ; i < len(lines); i++ {
			m := testifyField.FindStringSubmatch(lines[i])
			if m == nil && lines[i] == "" && i+1 < len(lines) &&
				testifyField.MatchString(lines[i+1]) {
				m = []string{"", "", ""} // a blank line inside the block
			}
			if m == nil {
				break
			}
			if m[1] != "" {
				key = m[1]
			}
			fields[key] = append(fields[key], strings.TrimRight(m[2], " "))
		}
		i--

		// The location line before the block ("x_test.go:12:") takes the message.
		msg := strings.Join(fields["Messages"], " ")
		if n := len(out); n > 0 && strings.HasSuffix(out[n-1], ":") && msg != "" {
			out[n-1] += " " + msg
		} else if msg != "" {
			out = append(out, msg)
		}
		out = append(out, indent(errorLines(fields["Error"]), "    ")...)
	}
	return out
}

// errorLines returns testify's Error field without its diff when expected and actual are
// one line each, since then the diff only repeats them.
func errorLines(lines []string) []string {
	diff := -1
	for i, l := range lines {
		if l == "Diff:" {
			diff = i
			break
		}
	}
	if diff < 0 {
		return trimBlank(lines)
	}
	short := 0
	for _, l := range lines[:diff] {
		if strings.HasPrefix(l, "expected:") || strings.HasPrefix(l, "actual  :") {
			short++
		}
	}
	if short == 2 && diff <= 4 {
		return trimBlank(lines[:diff])
	}
	return trimBlank(lines)
}

func trimBlank(lines []string) []string {
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

func indent(lines []string, prefix string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = prefix + l
	}
	return out
}
