package diagram

import (
	"bytes"
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTextWidth(t *testing.T) {
	tests := []struct {
		name string
		text string
		want float64
	}{
		{"Empty", "", 0},
		{"LatinFromTheFontTable", "A", 1401.0 * 14 / 2048},
		{"SpaceAndDigits", " 10", (651.0 + 2*1303) * 14 / 2048},
		{"CJKCountsAsOneEm", "数据", 28},
		{"FullwidthCountsAsOneEm", "Ａ", 14},
		{"CombiningMarkIsZeroWidth", "e\u0301", 1260.0 * 14 / 2048},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.InDelta(t, tt.want, textWidth(tt.text, 14), 1e-9,
				"width of %q at 14px", tt.text)
		})
	}
}

// TestLayoutLabelsFitTheirArrows checks the promise that no message label is
// wider than its arrow, including messages that span several lifelines.
func TestLayoutLabelsFitTheirArrows(t *testing.T) {
	tests := []struct {
		name, src string
	}{
		{"Adjacent", "sequenceDiagram\nA->>B: a rather long message label between neighbours"},
		{"SpansSeveralLifelines", "sequenceDiagram\nA->>B: x\nB->>C: y\nC->>D: z\n" +
			"A->>D: a very long label that spans three gaps and must fit them all together"},
		{"Backwards", "sequenceDiagram\nparticipant A\nparticipant B\nparticipant C\n" +
			"C-->>A: a long answer travelling right to left across the middle lifeline"},
		{"WideCharacters", "sequenceDiagram\n旅行者->>网站: " +
			"预订一张从北京到上海的火车票并等待回调确认"},
		{"Autonumbered", "sequenceDiagram\nautonumber 1000\nA->>B: numbers take room too"},
		{"WithActivations", "sequenceDiagram\nA->>+B: x\nB->>+C: y\nC-->>-B: z\n" +
			"B-->>-A: an answer from an active participant to another one"},
		{"NestedActivations", "sequenceDiagram\nactivate A\nactivate A\nactivate A\n" +
			"activate B\nactivate B\nactivate B\nA->>B: fits between nested bars"},
		{"CreatingMessage", "sequenceDiagram\nA->>B: x\ncreate participant C as A wide new one\n" +
			"A->>C: a label that must fit before the new box"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse([]byte(tt.src))
			require.NoError(t, err, "the diagram should parse")
			l := layoutDiagram(d)
			for _, s := range l.shapes {
				if s.msg == nil || s.msg.From == s.msg.To {
					continue
				}
				room := math.Abs(s.x2 - s.x1)
				need := linesWidth(s.lines, fontSize)
				assert.GreaterOrEqual(t, room, need,
					"the arrow of %q is %.1fpx long but its label is %.1fpx wide",
					s.msg.Text, room, need)
			}
		})
	}
}

func TestLayoutGrowsLinearly(t *testing.T) {
	// Every constraint points left to right, so positions come from one pass;
	// a message spanning everything must not shift unrelated neighbours apart.
	d, err := Parse([]byte("sequenceDiagram\nA->>B: a\nB->>C: b\nC->>D: c\n" +
		"A->>D: " + strings.Repeat("w", 80)))
	require.NoError(t, err, "the diagram should parse")
	l := layoutDiagram(d)
	span := l.xs[3] - l.xs[0]
	assert.GreaterOrEqual(t, span, textWidth(strings.Repeat("w", 80), fontSize),
		"A and D must be far enough apart for the long label")
}

func TestRenderEscapesText(t *testing.T) {
	src := "sequenceDiagram\ntitle <b>bold</b> & \"quoted\"\n" +
		"participant A as <script>alert(1)</script>\nA->>B: 1 < 2 && 3 > 2 \x01"
	svg, err := RenderSVG([]byte(src))
	require.NoError(t, err, "the diagram should render")
	requireWellFormed(t, svg)
	assert.NotContains(t, string(svg), "<script", "text must be escaped, never markup")
	assert.NotContains(t, string(svg), "<b>", "text must be escaped, never markup")
	assert.Contains(t, string(svg), "&lt;script&gt;alert(1)&lt;/script&gt;",
		"the participant label should appear escaped")
	assert.Contains(t, string(svg), "1 &lt; 2 &amp;&amp; 3 &gt; 2 \uFFFD",
		"the message should appear escaped, control characters replaced")
}

func TestRenderIsDeterministicWithDistinctIDs(t *testing.T) {
	a := []byte("sequenceDiagram\nA->>B: one")
	b := []byte("sequenceDiagram\nA->>B: two")
	a1, err := RenderSVG(a)
	require.NoError(t, err, "diagram a should render")
	a2, _ := RenderSVG(a)
	b1, err := RenderSVG(b)
	require.NoError(t, err, "diagram b should render")
	assert.True(t, bytes.Equal(a1, a2), "the same diagram must give the same bytes")

	ids := regexp.MustCompile(`id="([^"]+)"`)
	idsA, idsB := ids.FindAllSubmatch(a1, -1), ids.FindAllSubmatch(b1, -1)
	require.Len(t, idsA, 2, "a diagram has two ids, for its title and description")
	for _, x := range idsA {
		for _, y := range idsB {
			assert.NotEqual(t, string(x[1]), string(y[1]),
				"two different diagrams on one page must not share an id")
		}
	}
	assert.NotContains(t, string(a1), "<script", "an SVG never holds scripts")
}

func TestRenderAccessibility(t *testing.T) {
	svg, err := RenderSVG([]byte("sequenceDiagram\naccTitle: Sign in\naccDescr: How it works\n" +
		"A->>B: x"))
	require.NoError(t, err, "the diagram should render")
	s := string(svg)
	assert.Regexp(t, `<title id="cl[0-9a-f]+-title">Sign in</title>`, s,
		"accTitle becomes the SVG title")
	assert.Regexp(t, `<desc id="cl[0-9a-f]+-desc">How it works</desc>`, s,
		"accDescr becomes the SVG description")
	assert.Contains(t, s, `role="img"`, "the SVG is announced as an image")

	svg, err = RenderSVG([]byte("sequenceDiagram\nA->>B: x\nB-->>A: y"))
	require.NoError(t, err, "the diagram should render")
	assert.Contains(t, string(svg), "Sequence diagram between A, B, with 2 messages.",
		"without accDescr the description summarizes the diagram")
}

func TestRenderStyles(t *testing.T) {
	svg, err := RenderSVG([]byte("sequenceDiagram\nA->>B: x"))
	require.NoError(t, err, "the diagram should render")
	s := string(svg)
	assert.Contains(t, s, "@media (prefers-color-scheme:dark)", "the SVG carries a dark theme")
	assert.Contains(t, s, `font-family:"DejaVu Sans"`,
		"the measured font comes first in the font stack")
	assert.NotContains(t, s, "fill=\"#", "colours come from CSS classes, not attributes")
}

func TestRenderDrawsEveryPart(t *testing.T) {
	src := "sequenceDiagram\nautonumber\nactor U\nparticipant S\nU->>+S: go\nS->>S: self\n" +
		"Note right of S: n\nloop l\nS-->>-U: back\nend\ncreate participant W\nS->>W: w\n" +
		"destroy W\nS-xW: x"
	svg, err := RenderSVG([]byte(src))
	require.NoError(t, err, "the diagram should render")
	s := string(svg)
	assert.Contains(t, s, `class="cl-msg cl-dotted"`, "a dotted arrow should be drawn dashed")
	for _, class := range []string{"cl-actor", "cl-figure", "cl-lifeline", "cl-bar", "cl-msg",
		"cl-head", "cl-note", "cl-frame", "cl-tag", "cl-num", "cl-destroy"} {
		assert.Contains(t, s, `class="`+class, "the drawing should contain a %s shape", class)
	}
	// U and S are repeated at the bottom; W is created late and destroyed.
	assert.Equal(t, 3, strings.Count(s, `<rect class="cl-actor"`),
		"S twice (top and bottom) and W once (created, then destroyed)")
	assert.Equal(t, 2, strings.Count(s, `<g class="cl-figure"`), "the actor top and bottom")
}
