package diagram

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ParseError reports a mistake in a diagram's text, positioned like a
// compiler's: Line and Col count from 1, Col in characters (runes).
type ParseError struct {
	Line, Col int
	LineText  string // the whole offending line, without its newline
	Msg       string // what was wrong and what was expected
}

// Error returns "line:col: message".
func (e *ParseError) Error() string {
	return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg)
}

// Quote returns the error as a compiler would print it: the position and
// message, then the offending line, then a caret under the column.
func (e *ParseError) Quote() string {
	var b strings.Builder
	b.WriteString(e.Error())
	if e.LineText == "" {
		return b.String()
	}
	line := strings.ReplaceAll(e.LineText, "\t", " ")
	fmt.Fprintf(&b, "\n    %s\n    %s^", line, strings.Repeat(" ", max(0, e.Col-1)))
	return b.String()
}

// errorAt builds a ParseError at byte offset off of line (1-based) of src.
func errorAt(src string, line, off int, format string, args ...any) *ParseError {
	text := sourceLine(src, line)
	off = min(max(off, 0), len(text))
	return &ParseError{
		Line:     line,
		Col:      utf8.RuneCountInString(text[:off]) + 1,
		LineText: text,
		Msg:      fmt.Sprintf(format, args...),
	}
}

// sourceLine returns line n (1-based) of src without its line ending.
func sourceLine(src string, n int) string {
	for i := 1; i < n; i++ {
		j := strings.IndexByte(src, '\n')
		if j < 0 {
			return ""
		}
		src = src[j+1:]
	}
	if j := strings.IndexByte(src, '\n'); j >= 0 {
		src = src[:j]
	}
	return strings.TrimSuffix(src, "\r")
}

// AsParseError returns the *ParseError inside err, if there is one.
func AsParseError(err error) (*ParseError, bool) {
	var pe *ParseError
	ok := errors.As(err, &pe)
	return pe, ok
}
