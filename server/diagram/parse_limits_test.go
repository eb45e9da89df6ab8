package diagram

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestParseErrorsIndented checks that errors point at the real column when
// the diagram is indented, as it is in most Markdown and in the editor: every
// mistake of TestParseErrors, with each line indented by two spaces, must be
// reported two columns further right.
func TestParseErrorsIndented(t *testing.T) {
	for _, tt := range parseErrorCases() {
		if strings.TrimSpace(tt.src) == "" {
			continue // an empty diagram has no column to point at
		}
		t.Run(tt.name, func(t *testing.T) {
			src := "  " + strings.ReplaceAll(tt.src, "\n", "\n  ")
			_, err := Parse([]byte(src))
			pe, ok := AsParseError(err)
			require.True(t, ok, "the indented diagram %q should give a *ParseError, got %v",
				src, err)
			want := fmt.Sprintf("%d:%d: %s", tt.line, tt.col+2, tt.msg)
			assert.Equal(t, want, pe.Error(),
				"indenting by two spaces should move the error two columns right")
		})
	}
}

// lines returns the header and then n copies of stmt, one a line.
func lines(header, stmt string, n int) string {
	return header + strings.Repeat(stmt+"\n", n)
}

func TestParseLimits(t *testing.T) {
	long := strings.Repeat("x", maxTextLen+1)
	tests := []struct {
		name      string
		src       string
		line, col int
		msg       string // "" when the diagram is within the limits
	}{{
		name: "MostMessages",
		src:  lines("sequenceDiagram\n", "A->>B: m", maxMessages),
	}, {
		name: "TooManyMessages", line: maxMessages + 2, col: 3,
		src: lines("sequenceDiagram\n", "  A->>B: m", maxMessages+1) + "A->>B: never read",
		msg: "too many messages: a diagram holds at most 10000; split it into several diagrams",
	}, {
		name: "TooManyStatements", line: maxItems + 3, col: 1,
		src: lines("sequenceDiagram\nparticipant A\n", "Note over A: n", maxItems+1),
		msg: "too many statements: a diagram holds at most 20000 messages, notes, " +
			"activations and blocks; split it into several diagrams",
	}, {
		name: "TooManyParticipants", line: 2, col: 9013,
		src: "sequenceDiagram\n" + participantsLine(maxParticipants+1),
		msg: "too many participants: 500 at most",
	}, {
		name: "LongestMessageText",
		src:  "sequenceDiagram\nA->>B:" + long[1:],
	}, {
		name: "MessageTextTooLong", line: 2, col: 7,
		src: "sequenceDiagram\nA->>B:" + long,
		msg: "text too long: 1001 characters, at most 1000 are allowed",
	}, {
		name: "NoteTextTooLong", line: 2, col: 16,
		src: "sequenceDiagram\nNote over A, B:" + long,
		msg: "text too long: 1001 characters, at most 1000 are allowed",
	}, {
		name: "LabelTooLong", line: 2, col: 18,
		src: "sequenceDiagram\nparticipant A as " + long,
		msg: "text too long: 1001 characters, at most 1000 are allowed",
	}, {
		name: "NameTooLong", line: 2, col: 13,
		src: "sequenceDiagram\nparticipant " + long,
		msg: "participant name too long: 1001 characters, at most 1000 are allowed",
	}, {
		name: "LoopLabelTooLong", line: 2, col: 8,
		src: "sequenceDiagram\n  loop " + long + "\nend",
		msg: "text too long: 1001 characters, at most 1000 are allowed",
	}, {
		name: "TitleTooLong", line: 2, col: 7,
		src: "sequenceDiagram\ntitle " + long,
		msg: "text too long: 1001 characters, at most 1000 are allowed",
	}, {
		name: "TooManyTextLines", line: 2, col: 7,
		src: "sequenceDiagram\nA->>B:" + strings.Repeat("a<br>", maxTextLines),
		msg: "text has too many lines: 51, at most 50 are allowed",
	}, {
		name: "LargestAutonumber",
		src:  "sequenceDiagram\nautonumber 999999 999999\nA->>B: m\nA->>B: m",
	}, {
		name: "AutonumberStartTooLarge", line: 2, col: 12,
		src: "sequenceDiagram\nautonumber 1000000000 1000000000\nA->>B: m",
		msg: `expected off or a whole number from 0 to 999999 after autonumber, ` +
			`found "1000000000"`,
	}, {
		name: "AutonumberStepTooLarge", line: 2, col: 14,
		src: "sequenceDiagram\nautonumber 1 1000000\nA->>B: m",
		msg: `expected off or a whole number from 0 to 999999 after autonumber, ` +
			`found "1000000"`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.src))
			if tt.msg == "" {
				require.NoError(t, err, "a diagram at the limits should parse")
				return
			}
			pe, ok := AsParseError(err)
			require.True(t, ok, "a diagram past a limit should give a *ParseError, got %v", err)
			want := fmt.Sprintf("%d:%d: %s", tt.line, tt.col, tt.msg)
			assert.Equal(t, want, pe.Error(), "the error should name the limit and the line")
		})
	}
}

// participantsLine returns one line that declares n participants, separated
// by semicolons: "participant P0; participant P1; ...".
func participantsLine(n int) string {
	decls := make([]string, n)
	for i := range decls {
		decls[i] = fmt.Sprintf("participant P%03d", i)
	}
	return strings.Join(decls, "; ")
}
