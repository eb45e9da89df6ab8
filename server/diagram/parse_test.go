package diagram

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// summarize writes a diagram as short lines a test can compare: one for the
// header, one per participant and box, one per statement, indented by block.
func summarize(d *Diagram) []string {
	var out []string
	if d.Title != "" || d.AccTitle != "" || d.AccDescr != "" {
		out = append(out, fmt.Sprintf("title=%q acc=%q descr=%q", d.Title, d.AccTitle, d.AccDescr))
	}
	for _, b := range d.Boxes {
		out = append(out, fmt.Sprintf("box %q color=%q", b.Label, b.Color))
	}
	for _, p := range d.Participants {
		s := "participant " + p.ID
		if p.Actor {
			s = "actor " + p.ID
		}
		if p.Label != p.ID {
			s += fmt.Sprintf(" as %q", p.Label)
		}
		if p.Box != nil {
			s += fmt.Sprintf(" in %q", p.Box.Label)
		}
		if p.CreatedBy != nil {
			s += fmt.Sprintf(" created@%d", p.CreatedBy.Line)
		}
		if p.DestroyedBy != nil {
			s += fmt.Sprintf(" destroyed@%d", p.DestroyedBy.Line)
		}
		out = append(out, s)
	}
	return summarizeItems(out, d.Items, "")
}

func summarizeItems(out []string, items []Item, indent string) []string {
	for _, it := range items {
		switch it := it.(type) {
		case *Message:
			s := indent + it.From.ID + it.Arrow.String()
			if it.Activate {
				s += "+"
			}
			if it.Deactivate {
				s += "-"
			}
			s += it.To.ID + fmt.Sprintf(": %q", it.Text)
			if it.Numbered {
				s += fmt.Sprintf(" #%d", it.Number)
			}
			out = append(out, s)
		case *Note:
			ids := make([]string, len(it.Over))
			for i, p := range it.Over {
				ids[i] = p.ID
			}
			where := [...]string{"over", "left of", "right of"}[it.Placement]
			out = append(out, fmt.Sprintf("%snote %s %s: %q", indent, where,
				strings.Join(ids, ","), it.Text))
		case *Activation:
			verb := "deactivate"
			if it.Active {
				verb = "activate"
			}
			out = append(out, indent+verb+" "+it.Participant.ID)
		case *Block:
			for i, s := range it.Sections {
				head := it.Kind.String()
				if i > 0 {
					head = "section"
				}
				if it.Color != "" {
					head += " " + it.Color
				}
				out = append(out, fmt.Sprintf("%s%s %q", indent, head, s.Label))
				out = summarizeItems(out, s.Items, indent+"  ")
			}
			out = append(out, indent+"end")
		}
	}
	return out
}

func TestParse(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		want   []string
		reason string
	}{{
		name: "ParticipantsAndActors",
		src: "sequenceDiagram\nparticipant A as Alice\nactor B as Bob the <br/> builder\n" +
			"participant Travel site\nA->>B: hi",
		want: []string{
			`participant A as "Alice"`, `actor B as "Bob the\nbuilder"`,
			"participant Travel site", `A->>B: "hi"`,
		},
		reason: "ids may hold spaces; 'as' gives a label; <br/> breaks the label",
	}, {
		name: "ImplicitParticipantsInOrder",
		src:  "sequenceDiagram\nB->>A: one\nC->>B: two",
		want: []string{"participant B", "participant A", "participant C",
			`B->>A: "one"`, `C->>B: "two"`},
		reason: "participants appear in the order of first mention",
	}, {
		name: "EveryArrow",
		src: "sequenceDiagram\nA->B: 1\nA-->B: 2\nA->>B: 3\nA-->>B: 4\nA-xB: 5\nA--xB: 6\n" +
			"A-)B: 7\nA--)B: 8\nA<<->>B: 9\nA<<-->>B: 10",
		want: []string{"participant A", "participant B",
			`A->B: "1"`, `A-->B: "2"`, `A->>B: "3"`, `A-->>B: "4"`, `A-xB: "5"`, `A--xB: "6"`,
			`A-)B: "7"`, `A--)B: "8"`, `A<<->>B: "9"`, `A<<-->>B: "10"`},
		reason: "every classic arrow is read, longest spelling first",
	}, {
		name: "HyphenatedNamesAndEmptyText",
		src:  "sequenceDiagram\nbook-ticket ->> travel-site :\n",
		want: []string{"participant book-ticket", "participant travel-site",
			`book-ticket->>travel-site: ""`},
		reason: "a hyphen inside a name is not an arrow; the text may be empty",
	}, {
		name: "ActivationShorthandNested",
		src: "sequenceDiagram\nA->>+B: a\nB->>+B: b\nB-->>-B: c\nB-->>-A: d\n" +
			"activate A\nactivate A\ndeactivate A\ndeactivate A",
		want: []string{"participant A", "participant B",
			`A->>+B: "a"`, `B->>+B: "b"`, `B-->>-B: "c"`, `B-->>-A: "d"`,
			"activate A", "activate A", "deactivate A", "deactivate A"},
		reason: "+ activates the receiver, - deactivates the sender, and bars nest",
	}, {
		name: "Notes",
		src: "sequenceDiagram\nparticipant A\nparticipant B\nNote left of A: l\n" +
			"note RIGHT OF B: r\nNote over A: o\nNote over A,B: two",
		want: []string{"participant A", "participant B", `note left of A: "l"`,
			`note right of B: "r"`, `note over A: "o"`, `note over A,B: "two"`},
		reason: "notes take every placement, keywords in any case",
	}, {
		name: "NestedBlocks",
		src: "sequenceDiagram\nloop every minute\nalt ok\nA->>B: x\nelse failed\nopt maybe\n" +
			"break stop\nA-xB: y\nend\nend\nend\nend\npar one\nA->>B: 1\nand two\nA->>B: 2\nend\n" +
			"critical c\nA->>B: 3\noption o\nA->>B: 4\nend\nrect rgb(1, 2, 3)\nA->>B: 5\nend",
		want: []string{"participant A", "participant B",
			`loop "every minute"`, `  alt "ok"`, `    A->>B: "x"`, `  section "failed"`,
			`    opt "maybe"`, `      break "stop"`, `        A-xB: "y"`, `      end`, `    end`,
			`  end`, `end`,
			`par "one"`, `  A->>B: "1"`, `section "two"`, `  A->>B: "2"`, `end`,
			`critical "c"`, `  A->>B: "3"`, `section "o"`, `  A->>B: "4"`, `end`,
			`rect rgb(1, 2, 3) ""`, `  A->>B: "5"`, `end`},
		reason: "blocks nest to any depth and sections belong to their block",
	}, {
		name: "Autonumber",
		src: "sequenceDiagram\nA->>B: none\nautonumber\nA->>B: one\nautonumber 10 5\n" +
			"A->>B: ten\nA->>B: fifteen\nautonumber off\nA->>B: off",
		want: []string{"participant A", "participant B", `A->>B: "none"`, `A->>B: "one" #1`,
			`A->>B: "ten" #10`, `A->>B: "fifteen" #15`, `A->>B: "off"`},
		reason: "autonumber starts, restarts with start and step, and stops",
	}, {
		name: "TitleAndAccessibility",
		src: "sequenceDiagram\ntitle: Sign in\naccTitle: Sign-in flow\n" +
			"accDescr {\n  first line\n  second line\n}\nA->>B: x",
		want: []string{`title="Sign in" acc="Sign-in flow" descr="first line\nsecond line"`,
			"participant A", "participant B", `A->>B: "x"`},
		reason: "title, accTitle and a braced accDescr spanning lines",
	}, {
		name: "FrontMatterTitleAndOneLineDescr",
		src:  "---\ntitle: From front matter\n---\nsequenceDiagram\naccDescr: short\nA->>B: x",
		want: []string{`title="From front matter" acc="" descr="short"`,
			"participant A", "participant B", `A->>B: "x"`},
		reason: "front matter may hold the title",
	}, {
		name: "CommentsSemicolonsAndEntities",
		src: "%%{init: {}}%%\nsequenceDiagram %% trailing comment\n%% whole line\n" +
			"A->>B: a #59; b #35; c #9829; #quot;q#quot;; B->>A: second <BR> line",
		want: []string{"participant A", "participant B", `A->>B: "a ; b # c ♥ \"q\""`,
			`B->>A: "second\nline"`},
		reason: "%% comments, ; separates statements but not inside entity codes",
	}, {
		name: "KeywordsAreWholeWordsAndCaseInsensitive",
		src: "SEQUENCEDIAGRAM\nParticipant endpoint\nLOOP x\nendpoint->>loopback: hi\nEnd\n" +
			"Note Over endpoint: n",
		want: []string{"participant endpoint", "participant loopback", `loop "x"`,
			`  endpoint->>loopback: "hi"`, "end", `note over endpoint: "n"`},
		reason: "endpoint and loopback are names, not end and loop",
	}, {
		name: "BoxesWithAndWithoutColour",
		src: "sequenceDiagram\nbox Aqua Front end\nactor U\nparticipant B\nend\n" +
			"box rgb(10, 20, 30)\nparticipant S\nend\nbox Just a label\nparticipant K\nend\n" +
			"U->>K: x",
		want: []string{`box "Front end" color="aqua"`, `box "" color="rgb(10, 20, 30)"`,
			`box "Just a label" color=""`, `actor U in "Front end"`, `participant B in "Front end"`,
			`participant S in ""`, `participant K in "Just a label"`, `U->>K: "x"`},
		reason: "a box reads a leading colour the way Mermaid does; the rest is its label",
	}, {
		name: "CreateAndDestroy",
		src: "sequenceDiagram\nA->>B: hi\ncreate participant C as Carol\nB->>C: make\n" +
			"destroy C\nC-xB: bye",
		want: []string{"participant A", "participant B",
			`participant C as "Carol" created@4 destroyed@6`,
			`A->>B: "hi"`, `B->>C: "make"`, `C-xB: "bye"`},
		reason: "create and destroy attach to the next message",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse([]byte(tt.src))
			require.NoError(t, err, "the diagram should parse (%s)", tt.reason)
			if diff := cmp.Diff(tt.want, summarize(d)); diff != "" {
				t.Errorf("%s: parsed diagram differs (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

// noStatement starts the message for a line that is no statement.
const noStatement = "expected a statement such as participant, Note, loop or a message like " +
	"A->>B: text"

// parseErrorCase is a diagram with a mistake and the error it must give.
type parseErrorCase struct {
	name      string
	src       string
	line, col int
	msg       string
}

// parseErrorCases returns the mistakes TestParseErrors and
// TestParseErrorsIndented check.
func parseErrorCases() []parseErrorCase {
	return []parseErrorCase{
		{
			name: "Empty", line: 1, col: 1,
			src: "  \n",
			msg: "expected sequenceDiagram, found an empty diagram",
		},
		{
			name: "WrongKind", line: 1, col: 1,
			src: "flowchart LR\nA-->B",
			msg: `expected sequenceDiagram on the first line, found "flowchart"`,
		},
		{
			name: "NoArrow", line: 2, col: 3,
			src: "sequenceDiagram\n  A => B: x",
			msg: noStatement + `, found "A"`,
		},
		{
			name: "NoColon", line: 2, col: 12,
			src: "sequenceDiagram\nA->>B hello",
			msg: `expected ':' and the message text after "B hello"`,
		},
		{
			name: "NoReceiver", line: 2, col: 5,
			src: "sequenceDiagram\nA->>",
			msg: "expected a participant name after the arrow ->>",
		},
		{
			name: "BadCharInName", line: 2, col: 6,
			src: "sequenceDiagram\nA->>B,C: x",
			msg: `unexpected ',' in participant name "B,C"`,
		},
		{
			name: "StrayEnd", line: 3, col: 1,
			src: "sequenceDiagram\nA->>B: x\nend",
			msg: "end without an open block (loop, alt, opt, par, critical, break, rect or box)",
		},
		{
			name: "UnclosedLoop", line: 2, col: 1,
			src: "sequenceDiagram\nloop forever\nA->>B: x",
			msg: "loop block is never closed; expected end",
		},
		{
			name: "ElseOutsideAlt", line: 3, col: 1,
			src: "sequenceDiagram\nloop x\nelse y\nend",
			msg: "else is only allowed directly inside a alt block",
		},
		{
			name: "AndOutsidePar", line: 2, col: 1,
			src: "sequenceDiagram\nand y",
			msg: "and is only allowed directly inside a par block",
		},
		{
			name: "DeactivateInactive", line: 3, col: 12,
			src: "sequenceDiagram\nA->>B: x\ndeactivate B",
			msg: `cannot deactivate "B": it is not active`,
		},
		{
			name: "ShorthandDeactivateInactive", line: 3, col: 1,
			src: "sequenceDiagram\nA->>B: x\nB-->>-A: y",
			msg: `cannot deactivate "B": it is not active`,
		},
		{
			name: "NoteWithoutPlacement", line: 2, col: 6,
			src: "sequenceDiagram\nNote A: x",
			msg: "expected left of, right of or over after Note",
		},
		{
			name: "NoteLeftOfTwo", line: 2, col: 14,
			src: "sequenceDiagram\nNote left of A,B: x",
			msg: "expected one participant, or two after over, separated by a comma",
		},
		{
			name: "NoteWithoutText", line: 2, col: 12,
			src: "sequenceDiagram\nNote over A",
			msg: "expected ':' and the note text",
		},
		{
			name: "AutonumberWord", line: 2, col: 12,
			src: "sequenceDiagram\nautonumber ten",
			msg: `expected off or a whole number from 0 to 999999 after autonumber, found "ten"`,
		},
		{
			name: "AccTitleWithoutColon", line: 2, col: 10,
			src: "sequenceDiagram\naccTitle Hi",
			msg: "expected ':' after accTitle",
		},
		{
			name: "UnclosedDescr", line: 2, col: 10,
			src: "sequenceDiagram\naccDescr {\nnever closed",
			msg: "accDescr { is never closed; expected }",
		},
		{
			name: "BoxHoldsMessage", line: 3, col: 1,
			src: "sequenceDiagram\nbox Aqua G\nA->>B: x\nend",
			msg: `expected participant, actor or end inside a box, found "A->>B:"`,
		},
		{
			name: "UnclosedBox", line: 2, col: 1,
			src: "sequenceDiagram\nbox G\nparticipant A",
			msg: "box is never closed; expected end",
		},
		{
			name: "CreateExisting", line: 3, col: 20,
			src: "sequenceDiagram\nA->>B: x\ncreate participant B",
			msg: `participant "B" already exists; create must come before its first use`,
		},
		{
			name: "CreateWithoutMessage", line: 2, col: 1,
			src: "sequenceDiagram\ncreate actor C",
			msg: `participant "C" is created but no message follows to create it`,
		},
		{
			name: "CreateWrongMessage", line: 4, col: 1,
			src: "sequenceDiagram\nA->>B: x\ncreate participant C\nA->>B: y",
			msg: `expected a message to or from "C", created on line 3`,
		},
		{
			name: "UseAfterDestroy", line: 5, col: 5,
			src: "sequenceDiagram\nA->>B: x\ndestroy B\nA-xB: bye\nA->>B: again",
			msg: `participant "B" was destroyed on line 4`,
		},
		{
			name: "RectWithoutColour", line: 2, col: 6,
			src: "sequenceDiagram\nrect banana\nend",
			msg: "expected a colour after rect, such as rgb(200, 220, 255) or lightyellow",
		},
		{
			name: "WideCharactersCountAsOneColumn", line: 2, col: 8,
			src: "sequenceDiagram\n旅行者->>B",
			msg: `expected ':' and the message text after "B"`,
		},
		{
			name: "SecondStatementOnLine", line: 2, col: 11,
			src: "sequenceDiagram\nA->>B: x; A =>B",
			msg: noStatement + `, found "A"`,
		},
		{
			name: "UnclosedLoop", line: 3, col: 1,
			src: "sequenceDiagram\nA->>B: x\nloop every minute\nA->>B: y",
			msg: "loop block is never closed; expected end",
		},
		{
			name: "UnclosedOuterBlock", line: 2, col: 1,
			src: "sequenceDiagram\nalt yes\nopt maybe\nA->>B: y\nend",
			msg: "alt block is never closed; expected end",
		},
		{
			name: "UnclosedFrontMatter", line: 1, col: 1,
			src: "---\ntitle: x\nsequenceDiagram",
			msg: "front matter opened with --- is never closed",
		},
		{
			name: "ElseOutsideAlt", line: 3, col: 1,
			src: "sequenceDiagram\nloop x\nelse y\nend",
			msg: "else is only allowed directly inside a alt block",
		},
	}
}

func TestParseErrors(t *testing.T) {
	for _, tt := range parseErrorCases() {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.src))
			require.Error(t, err, "the diagram %q has a mistake and should not parse", tt.src)
			pe, ok := AsParseError(err)
			require.True(t, ok, "the error should be a *ParseError, got %T: %v", err, err)
			want := fmt.Sprintf("%d:%d: %s", tt.line, tt.col, tt.msg)
			assert.Equal(t, want, pe.Error(), "error position and message")
			assert.Equal(t, sourceLine(tt.src, tt.line), pe.LineText,
				"the error should quote the offending line")
		})
	}
}

func TestParseErrorQuote(t *testing.T) {
	_, err := Parse([]byte("sequenceDiagram\n    A->>B hello"))
	pe, ok := AsParseError(err)
	require.True(t, ok, "a missing colon should be a *ParseError")
	want := "2:16: expected ':' and the message text after \"B hello\"\n" +
		"        A->>B hello\n" +
		"                   ^"
	assert.Equal(t, want, pe.Quote(), "Quote should show the line and a caret under column 16")
}
