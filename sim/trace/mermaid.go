package trace

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"
)

// maxLabel is the longest label, in runes, that a diagram shows.
const maxLabel = 72

// order is the left-to-right order of the known participants.
var order = []string{Browser, Attacker, Travel, Google, Facebook, Booking}

// Mermaid writes the journey as a Mermaid sequenceDiagram: each hop is a
// request arrow followed by a dashed answer arrow. Participants appear in a
// fixed order (browser left, book_ticket right) and only when they took
// part.
func (j Journey) Mermaid() []byte {
	var b bytes.Buffer
	b.WriteString("sequenceDiagram\n")

	// Declare the participants that took part, known ones first.
	seen := map[string]bool{}
	for _, h := range j.Hops {
		seen[h.From], seen[h.To] = true, true
	}
	var names []string
	for _, p := range order {
		if seen[p] {
			names = append(names, p)
			delete(seen, p)
		}
	}
	for _, h := range j.Hops {
		for _, p := range []string{h.From, h.To} {
			if seen[p] {
				names = append(names, p)
				delete(seen, p)
			}
		}
	}
	for _, p := range names {
		fmt.Fprintf(&b, "    participant %s as %s\n", MermaidID(p), Escape(Label(p)))
	}

	// One request and one answer per hop, in the order they happened.
	for _, a := range j.arrowOrder() {
		h := j.Hops[a.hop]
		from, to := MermaidID(h.From), MermaidID(h.To)
		if a.answer {
			fmt.Fprintf(&b, "    %s-->>%s: %s\n", to, from, Escape(answer(h)))
			continue
		}
		fmt.Fprintf(&b, "    %s->>%s: %s\n", from, to, Escape(h.Method+" "+h.Path))
	}
	if j.Dropped > 0 {
		fmt.Fprintf(&b, "    Note over %s: %d more hops not kept\n",
			MermaidID(names[len(names)-1]), j.Dropped)
	}
	return b.Bytes()
}

// arrow is one arrow of a diagram: the request or the answer of a hop.
type arrow struct {
	hop    int // index in Journey.Hops
	answer bool
	pos    int
}

// arrowOrder returns the arrows of the journey in the order they happened:
// a request at its Sent position and an answer at its Answered position. A
// hop without positions (built by hand) has its two arrows after the
// previous hop's; a hop still waiting for its answer has only its request.
func (j Journey) arrowOrder() []arrow {
	var out []arrow
	last := 0
	for i, h := range j.Hops {
		sent, answered := h.Sent, h.Answered
		if sent == 0 {
			sent, answered = last+1, last+2
		}
		last = max(last, sent, answered)
		out = append(out, arrow{hop: i, pos: sent})
		if answered != 0 {
			out = append(out, arrow{hop: i, answer: true, pos: answered})
		}
	}
	slices.SortStableFunc(out, func(a, b arrow) int { return a.pos - b.pos })
	return out
}

// answer is the label of a hop's answer arrow.
func answer(h Hop) string {
	s := "no answer"
	if h.Status != 0 {
		s = fmt.Sprintf("%d %s", h.Status, http.StatusText(h.Status))
	}
	if h.Note != "" {
		s += ", " + h.Note
	}
	return s
}

// MermaidID turns a participant name into an identifier that Mermaid's lexer
// reads as one word: letters, digits and underscores, starting with a
// letter.
func MermaidID(name string) string {
	var b strings.Builder
	for _, c := range name {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_':
			b.WriteRune(c)
		default:
			b.WriteByte('_')
		}
	}
	id := b.String()
	if id == "" || !(id[0] >= 'a' && id[0] <= 'z' || id[0] >= 'A' && id[0] <= 'Z') {
		id = "P" + id
	}
	return id
}

// escaper replaces, in one pass, the characters that would end or confuse a
// Mermaid message.
var escaper = strings.NewReplacer(
	"#", "#35;",
	";", "#59;",
	"\r\n", " ",
	"\n", " ",
	"\r", " ",
	"<", "#lt;",
	">", "#gt;",
)

// Escape makes text safe as a Mermaid label: it removes line breaks, writes
// "#", ";", "<" and ">" as entity codes and cuts text longer than 72 runes,
// marking the cut with "...".
func Escape(text string) string {
	if utf8.RuneCountInString(text) > maxLabel {
		text = string([]rune(text)[:maxLabel-3]) + "..."
	}
	return escaper.Replace(text)
}
