package diagram

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// The limits below bound the work and memory one diagram can ask for, so a
// hostile or mistaken text cannot make a server or the command draw hundreds
// of megabytes. Each is far above what a readable diagram needs; the largest
// benchmark (10,000 messages with notes and loops) fits within them all.
const (
	// maxParticipants bounds the lifelines of one diagram.
	maxParticipants = 500

	// maxMessages bounds the messages (arrows) of one diagram.
	maxMessages = 10_000

	// maxItems bounds everything drawn down the page: messages, notes,
	// activations, blocks and their sections together.
	maxItems = 20_000

	// maxTextLen bounds one label, name or title, in characters as written.
	maxTextLen = 1_000

	// maxTextLines bounds the lines of one label (lines are split at <br/>).
	maxTextLines = 50

	// maxAutonumber bounds the start and step of autonumber: six digits.
	maxAutonumber = 999_999

	// maxSVGBytes bounds the size of the SVG one diagram is drawn as.
	maxSVGBytes = 8 << 20
)

// ErrTooLarge is returned by [Render] and [RenderSVG] when the drawing would
// exceed the size limit of 8 MiB of SVG. Nothing is written then.
var ErrTooLarge = errors.New("diagram: the drawing would be larger than 8 MiB of SVG; " +
	"split the diagram into several smaller ones")

// text checks the raw text of a label that starts at byte at of st against
// the length limits and returns it decoded.
func (p *parser) text(st stmt, at int, raw string) (string, error) {
	if n := utf8.RuneCountInString(raw); n > maxTextLen {
		return "", p.errorf(st, at, "text too long: %d characters, at most %d are allowed",
			n, maxTextLen)
	}
	decoded := decodeText(raw)
	if n := strings.Count(decoded, "\n") + 1; n > maxTextLines {
		return "", p.errorf(st, at, "text has too many lines: %d, at most %d are allowed",
			n, maxTextLines)
	}
	return decoded, nil
}

// count records one more item, and one more message when msg is set, and
// refuses the statement st when a limit is passed.
func (p *parser) count(st stmt, msg bool) error {
	p.nItems++
	if p.nItems > maxItems {
		return p.errorf(st, 0, "too many statements: a diagram holds at most %d messages, "+
			"notes, activations and blocks; split it into several diagrams", maxItems)
	}
	if !msg {
		return nil
	}
	p.nMessages++
	if p.nMessages > maxMessages {
		return p.errorf(st, 0, "too many messages: a diagram holds at most %d; "+
			"split it into several diagrams", maxMessages)
	}
	return nil
}
