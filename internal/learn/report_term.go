package learn

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// TermOptions says how [WriteReport] draws the progress.
type TermOptions struct {
	// Color turns on ANSI colours, symbols and a drawn progress bar; without it the report is
	// plain lines that read well in a log or a pipe.
	Color bool
	// Focus is the folder of the lesson whose failures are shown when it is not done; empty
	// means Progress.Focus, and then the first lesson that is not done.
	Focus string
	// MaxTests is how many failing tests are shown in full; zero means 3.
	MaxTests int
	// MaxLines is how many lines of one failure are shown; zero means 12.
	MaxLines int
	// Command is how the learner runs callbacklab, used in every command the report
	// suggests ("go run . hint 1" when the learner runs it with `go run .`); empty means
	// "callbacklab".
	Command string
	// Only are the folders of the lessons the learner named ("check 9"), or empty for all
	// of them. When set, the count is of these lessons alone and the "Next:" line points at
	// the first of them that is not done; the other lessons are still listed, as "not run"
	// when they have no result.
	Only []string
}

// ColorEnabled reports whether w is a terminal that wants colours: an *os.File that is a
// character device, with NO_COLOR unset and TERM not "dumb". getenv is usually os.Getenv.
func ColorEnabled(w io.Writer, getenv func(string) string) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	return getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
}

// ANSI escape sequences used when colour is on.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
)

// painter applies colours only when they are on.
type painter bool

func (p painter) paint(code, s string) string {
	if !p || s == "" {
		return s
	}
	return code + s + ansiReset
}

// stateLook is how a state is shown: a word for plain output, a symbol and colour otherwise.
var stateLook = map[State]struct{ word, symbol, color string }{
	StateDone:           {"done", "✓", ansiGreen},
	StateFailing:        {"failing", "✗", ansiRed},
	StateDoesNotCompile: {"does not compile", "!", ansiRed},
	StateTimedOut:       {"timed out", "⏱", ansiYellow},
	StateRunning:        {"running", "…", ansiCyan},
	StateNotRun:         {"not run", "·", ansiDim},
}

// WriteReport draws p: a progress bar, a line per lesson and the failures of one lesson
// with the way to a hint.
func WriteReport(w io.Writer, p Progress, o TermOptions) error {
	o = o.withDefaults()
	var b strings.Builder
	c := painter(o.Color)

	// The bar and the count, of the lessons the learner named if they named some.
	counted := o.counted(p)
	done, total := counted.Done(), len(counted.Lessons)
	count := fmt.Sprintf("%d/%d lessons done", done, total)
	if len(o.Only) > 0 {
		count = namedCount(counted)
	}
	if o.Color {
		fmt.Fprintf(&b, "%s %s\n", bar(done, total, 20, c), c.paint(ansiBold, count))
	} else {
		fmt.Fprintf(&b, "%s\n", count)
	}
	if p.Err != "" {
		fmt.Fprintf(&b, "%s %s\n", c.paint(ansiRed, "problem:"), p.Err)
	}

	// One line per lesson.
	width := 0
	for _, l := range p.Lessons {
		width = max(width, len([]rune(shortTitle(l))))
	}
	for _, l := range p.Lessons {
		look := stateLook[l.State]
		detail := lessonDetail(l)
		if o.Color {
			fmt.Fprintf(&b, "  %s %02d %-*s  %s\n", c.paint(look.color, look.symbol),
				l.Number, width, shortTitle(l), c.paint(look.color, detail))
			continue
		}
		fmt.Fprintf(&b, "  %02d %-*s  %s\n", l.Number, width, shortTitle(l), detail)
	}

	// The lesson in focus.
	b.WriteString("\n")
	writeFocus(&b, p, o, c)
	_, err := io.WriteString(w, b.String())
	return err
}

func (o TermOptions) withDefaults() TermOptions {
	if o.MaxTests <= 0 {
		o.MaxTests = 3
	}
	if o.MaxLines <= 0 {
		o.MaxLines = 12
	}
	if o.Command == "" {
		o.Command = "callbacklab"
	}
	return o
}

// counted returns p with only the lessons the report counts: those in o.Only, or all.
func (o TermOptions) counted(p Progress) Progress {
	if len(o.Only) == 0 {
		return p
	}
	out := p
	out.Lessons = nil
	for _, l := range p.Lessons {
		if slices.Contains(o.Only, l.Dir) {
			out.Lessons = append(out.Lessons, l)
		}
	}
	return out
}

// namedCount is the first line of a report on the lessons the learner named: "lesson 9: 9
// of 10 tests pass" for one, "lessons 6, 7, 8 and 9: 3/4 done" for several.
func namedCount(p Progress) string {
	if len(p.Lessons) == 1 {
		l := p.Lessons[0]
		detail := lessonDetail(l)
		if passed, total := l.Counts(); l.State == StateFailing && total > 0 {
			detail = fmt.Sprintf("%d of %d tests pass", passed, total)
		}
		return fmt.Sprintf("lesson %d: %s", l.Number, detail)
	}
	return fmt.Sprintf("lessons %s: %d/%d done", numberList(p.Lessons), p.Done(),
		len(p.Lessons))
}

// numberList names lessons by number: "6, 7 and 9".
func numberList(ls []LessonState) string {
	var b strings.Builder
	for i, l := range ls {
		switch {
		case i == 0:
		case i == len(ls)-1:
			b.WriteString(" and ")
		default:
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%d", l.Number)
	}
	return b.String()
}

// shortTitle is a lesson's title without a leading "Lesson N:".
func shortTitle(l LessonState) string {
	return l.ShortTitle()
}

// lessonDetail is the words after a lesson's title.
func lessonDetail(l LessonState) string {
	word := stateLook[l.State].word
	if l.State != StateFailing {
		return word
	}
	passed, total := l.Counts()
	if total == 0 {
		return word
	}
	return fmt.Sprintf("%s: %d of %d tests pass", word, passed, total)
}

// bar draws a progress bar of width cells.
func bar(done, total, width int, c painter) string {
	filled := 0
	if total > 0 {
		filled = done * width / total
	}
	return "[" + c.paint(ansiGreen, strings.Repeat("█", filled)) +
		c.paint(ansiDim, strings.Repeat("░", width-filled)) + "]"
}

// writeFocus writes the failures of the lesson in focus and how to get a hint.
func writeFocus(b *strings.Builder, p Progress, o TermOptions, c painter) {
	if o.Focus != "" {
		p.Focus = o.Focus
	}
	l, ok := p.FocusAmong(o.Only)
	if !ok && len(o.Only) > 0 {
		writeNamedDone(b, o.counted(p).Lessons, o.Command)
		return
	}
	if !ok {
		fmt.Fprintf(b, "All %d lessons pass. Well done!\n", len(p.Lessons))
		fmt.Fprintf(b, "Compare with the reference: %s solution N\n", o.Command)
		return
	}
	fmt.Fprintf(b, "%s lesson %d, %s (lessons/%s)\n", c.paint(ansiBold, "Next:"), l.Number,
		shortTitle(l), l.Dir)

	switch l.State {
	case StateNotRun, StateRunning:
		return
	case StateDoesNotCompile:
		b.WriteString(c.paint(ansiRed, "The code does not compile:") + "\n")
		writeLines(b, buildErrorLines(l.BuildErrors), o.MaxLines*2, "  ")
	default:
		failed := l.Failed()
		for i, t := range failed {
			if i == o.MaxTests {
				fmt.Fprintf(b, "  ... and %d more failing tests\n", len(failed)-i)
				break
			}
			mark := "FAIL"
			if o.Color {
				mark = c.paint(ansiRed, "✗")
			}
			fmt.Fprintf(b, "%s %s\n", mark, c.paint(ansiBold, t.Name))
			writeLines(b, Shorten(t), o.MaxLines, "    ")
		}
		if len(failed) == 0 {
			writeLines(b, l.Output, o.MaxLines, "  ")
		}
	}
	fmt.Fprintf(b, "\nStuck? %s shows a hint.\n", c.paint(ansiCyan,
		fmt.Sprintf("%s hint %d", o.Command, l.Number)))
}

// writeNamedDone congratulates a learner whose named lessons all pass.
func writeNamedDone(b *strings.Builder, named []LessonState, command string) {
	if len(named) == 1 {
		fmt.Fprintf(b, "Lesson %d passes. Well done!\n", named[0].Number)
		fmt.Fprintf(b, "Compare with the reference: %s solution %d\n", command,
			named[0].Number)
	} else {
		fmt.Fprintf(b, "Lessons %s pass. Well done!\n", numberList(named))
		fmt.Fprintf(b, "Compare with the reference: %s solution N\n", command)
	}
	fmt.Fprintf(b, "See every lesson: %s check\n", command)
}

// buildErrorLines leaves out the go command's "# package" headers.
func buildErrorLines(lines []string) []string {
	var out []string
	for _, l := range lines {
		if !strings.HasPrefix(l, "# ") {
			out = append(out, l)
		}
	}
	return out
}

// writeLines writes at most max lines, each with indent, and says how many it left out.
func writeLines(b *strings.Builder, lines []string, max int, indent string) {
	for i, l := range lines {
		if i == max {
			fmt.Fprintf(b, "%s[... %d more lines ...]\n", indent, len(lines)-i)
			return
		}
		fmt.Fprintf(b, "%s%s\n", indent, l)
	}
}
