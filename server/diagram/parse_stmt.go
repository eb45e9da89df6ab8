package diagram

import (
	"strings"
)

// findArrow returns the offset, kind and length of the first arrow in s, or
// -1 when s holds none.
func findArrow(s string) (int, Arrow, int) {
	for i := 0; i < len(s); i++ {
		if s[i] != '-' && s[i] != '<' {
			continue
		}
		for _, a := range arrowSpellings {
			if strings.HasPrefix(s[i:], a.text) {
				return i, a.arrow, len(a.text)
			}
		}
	}
	return -1, 0, 0
}

// message parses "From ARROW [+|-] To: text", the statement every line that
// starts with no keyword must be.
func (p *parser) message(st stmt) error {
	s := st.text
	i, arrow, n := findArrow(s)
	if i < 0 {
		return p.errorf(st, 0, "expected a statement such as participant, Note, loop or a "+
			"message like A->>B: text, found %q", firstWord(s))
	}
	from := strings.TrimSpace(s[:i])
	if err := p.checkName(st, 0, from, "a participant name before the arrow"); err != nil {
		return err
	}

	// An optional + or - follows the arrow.
	j := skipSpace(s, i+n)
	msg := &Message{Arrow: arrow, Line: st.line}
	if j < len(s) && (s[j] == '+' || s[j] == '-') {
		msg.Activate, msg.Deactivate = s[j] == '+', s[j] == '-'
		j = skipSpace(s, j+1)
	}
	colon := strings.IndexByte(s[j:], ':')
	if colon < 0 {
		if j == len(s) {
			return p.errorf(st, j, "expected a participant name after the arrow %s", arrow)
		}
		return p.errorf(st, len(s), "expected ':' and the message text after %q",
			strings.TrimSpace(s[j:]))
	}
	to := strings.TrimSpace(s[j : j+colon])
	what := "a participant name after the arrow " + arrow.String()
	if err := p.checkName(st, j, to, what); err != nil {
		return err
	}
	var err error
	if msg.Text, err = p.text(st, j+colon+1, s[j+colon+1:]); err != nil {
		return err
	}

	// Resolve both ends, then the pending create, destroy and activations.
	if msg.From, err = p.participant(st, 0, from); err != nil {
		return err
	}
	if msg.To, err = p.participant(st, j, to); err != nil {
		return err
	}
	if err := p.settle(st, msg); err != nil {
		return err
	}
	if msg.Activate {
		_ = p.setActive(st, j, msg.To, true)
	}
	if msg.Deactivate {
		if err := p.setActive(st, 0, msg.From, false); err != nil {
			return err
		}
	}
	if err := p.count(st, true); err != nil {
		return err
	}
	if p.number.on {
		msg.Numbered, msg.Number = true, p.number.next
		p.number.next += p.number.step
	}
	p.emit(msg)
	return nil
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// settle gives a pending create or destroy its message, which must be the
// first message after it and must involve its participant.
func (p *parser) settle(st stmt, msg *Message) error {
	if c := p.created; c != nil {
		if msg.From != c.p && msg.To != c.p {
			return p.errorf(st, 0, "expected a message to or from %q, created on line %d",
				c.p.ID, c.line)
		}
		c.p.CreatedBy = msg
		p.created = nil
	}
	if c := p.doomed; c != nil {
		if msg.From != c.p && msg.To != c.p {
			return p.errorf(st, 0, "expected a message to or from %q, destroyed on line %d",
				c.p.ID, c.line)
		}
		c.p.DestroyedBy = msg
		p.gone[c.p] = st.line
		p.doomed = nil
	}
	return nil
}

// note parses "Note left of A: text", "right of A", "over A" and "over A,B".
func (p *parser) note(st stmt, rest string, off int) error {
	n := &Note{Line: st.line}
	lower := strings.ToLower(rest)
	var after string
	switch {
	case hasWords(lower, "left", "of"):
		n.Placement, after = NoteLeftOf, rest[strings.Index(lower, "of")+2:]
	case hasWords(lower, "right", "of"):
		n.Placement, after = NoteRightOf, rest[strings.Index(lower, "of")+2:]
	case hasWords(lower, "over"):
		n.Placement, after = NoteOver, rest[4:]
	default:
		return p.errorf(st, off, "expected left of, right of or over after Note")
	}
	trimmed := strings.TrimLeft(after, " \t")
	at := off + len(rest) - len(trimmed)
	after, afterOff := trimmed, at
	colon := strings.IndexByte(after, ':')
	if colon < 0 {
		return p.errorf(st, off+len(rest), "expected ':' and the note text")
	}
	names := strings.Split(after[:colon], ",")
	if len(names) > 2 || len(names) == 2 && n.Placement != NoteOver {
		return p.errorf(st, at, "expected one participant, or two after over, separated by a comma")
	}
	for _, name := range names {
		id := strings.TrimSpace(name)
		if err := p.checkName(st, at, id, "a participant name"); err != nil {
			return err
		}
		pp, err := p.participant(st, at, id)
		if err != nil {
			return err
		}
		n.Over = append(n.Over, pp)
		at += len(name) + 1
	}
	var err error
	if n.Text, err = p.text(st, afterOff+colon+1, after[colon+1:]); err != nil {
		return err
	}
	if err := p.count(st, false); err != nil {
		return err
	}
	p.emit(n)
	return nil
}

// hasWords reports whether s starts with the given words, each followed by a
// space (or the end), the last one possibly by something else for "over".
func hasWords(s string, words ...string) bool {
	for _, w := range words {
		if !strings.HasPrefix(s, w) || len(s) > len(w) && s[len(w)] != ' ' && s[len(w)] != '\t' {
			return false
		}
		s = strings.TrimLeft(s[len(w):], " \t")
	}
	return true
}

var blockKinds = map[string]BlockKind{
	"loop": BlockLoop, "alt": BlockAlt, "opt": BlockOpt, "par": BlockPar, "par_over": BlockPar,
	"critical": BlockCritical, "break": BlockBreak, "rect": BlockRect,
}

func (p *parser) openBlock(st stmt, word, rest string) error {
	b := &Block{Kind: blockKinds[word], Line: st.line}
	label := rest
	if b.Kind == BlockRect {
		color, after := cutColor(rest)
		if rest != "" && (color == "" || after != "") {
			return p.errorf(st, len(st.text)-len(rest),
				"expected a colour after rect, such as rgb(200, 220, 255) or lightyellow")
		}
		b.Color, label = color, ""
	}
	text, err := p.text(st, len(st.text)-len(label), label)
	if err != nil {
		return err
	}
	if err := p.count(st, false); err != nil {
		return err
	}
	b.Sections = []*Section{{Label: text, Line: st.line}}
	p.emit(b)
	p.open = append(p.open, b)
	p.openAt = append(p.openAt, st)
	return nil
}

// section parses "else" (in alt), "and" (in par) and "option" (in critical).
func (p *parser) section(st stmt, word, rest string) error {
	want := map[string]BlockKind{"else": BlockAlt, "and": BlockPar, "option": BlockCritical}[word]
	if len(p.open) == 0 || p.open[len(p.open)-1].Kind != want {
		return p.errorf(st, 0, "%s is only allowed directly inside a %s block", word, want)
	}
	text, err := p.text(st, len(st.text)-len(rest), rest)
	if err != nil {
		return err
	}
	if err := p.count(st, false); err != nil {
		return err
	}
	b := p.open[len(p.open)-1]
	b.Sections = append(b.Sections, &Section{Label: text, Line: st.line})
	return nil
}
