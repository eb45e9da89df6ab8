package diagram

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Parse reads a diagram written in Mermaid's sequenceDiagram language. A
// mistake is reported as a *[ParseError] naming the line and column.
func Parse(src []byte) (*Diagram, error) {
	p := &parser{
		src:    string(src),
		d:      &Diagram{},
		byID:   map[string]*Participant{},
		active: map[*Participant]int{},
		gone:   map[*Participant]int{},
		number: autonumber{next: 1, step: 1},
	}
	if err := p.parse(); err != nil {
		return nil, err
	}
	return p.d, nil
}

// parser holds the state of one Parse call.
type parser struct {
	src  string
	d    *Diagram
	byID map[string]*Participant

	// open is the stack of blocks not yet closed by "end"; box is the open
	// box, if any (boxes do not nest and hold no blocks).
	open   []*Block
	openAt []stmt // the statement that opened each block of open
	box    *Box
	boxAt  stmt // the statement that opened box

	nItems, nMessages int // counted against maxItems and maxMessages

	active  map[*Participant]int // activation depth
	gone    map[*Participant]int // line of the message that destroyed each
	number  autonumber
	created *pending // a "create" waiting for its message
	doomed  *pending // a "destroy" waiting for its message
}

// pending is a create or destroy statement waiting for the next message.
type pending struct {
	p    *Participant
	line int
	st   stmt
}

type autonumber struct {
	on         bool
	next, step int
}

func (p *parser) errorf(st stmt, at int, format string, args ...any) error {
	return errorAt(p.src, st.line, st.off+at, format, args...)
}

func (p *parser) parse() error {
	sc := newScanner(p.src)
	if err := p.parseHeader(sc); err != nil {
		return err
	}
	for {
		st, ok := sc.next()
		if !ok {
			break
		}
		if err := p.statement(st); err != nil {
			return err
		}
	}
	return p.finish()
}

// parseHeader reads optional front matter and the "sequenceDiagram" line.
func (p *parser) parseHeader(sc *scanner) error {
	st, ok := sc.next()
	if ok && st.text == "---" {
		open := st
		for {
			st, ok = sc.next()
			if !ok || st.text == "---" {
				break
			}
			if k, v, found := strings.Cut(st.text, ":"); found && strings.TrimSpace(k) == "title" {
				title, err := p.text(st, len(k)+1, strings.Trim(strings.TrimSpace(v), `"'`))
				if err != nil {
					return err
				}
				p.d.Title = title
			}
		}
		if !ok {
			return p.errorf(open, 0, "front matter opened with --- is never closed")
		}
		st, ok = sc.next()
	}
	if !ok {
		return errorAt(p.src, 1, 0, "expected sequenceDiagram, found an empty diagram")
	}
	word, rest := cutWord(st.text, false)
	if word != "sequencediagram" {
		return p.errorf(st, 0, "expected sequenceDiagram on the first line, found %q",
			firstWord(st.text))
	}
	if rest = strings.TrimSpace(rest); rest != "" {
		// Mermaid allows a statement on the header line.
		return p.statement(stmt{text: rest, line: st.line, off: st.off + len(st.text) - len(rest)})
	}
	return nil
}

func firstWord(s string) string {
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		return s[:i]
	}
	return s
}

// statement parses one statement.
func (p *parser) statement(st stmt) error {
	word, rest := cutWord(st.text, true)
	rest = strings.TrimLeft(rest, " \t")
	restOff := len(st.text) - len(rest)
	if p.box != nil && word != "participant" && word != "actor" && word != "end" {
		return p.errorf(st, 0, "expected participant, actor or end inside a box, found %q",
			firstWord(st.text))
	}
	switch word {
	case "participant", "actor":
		return p.declare(st, word == "actor", rest, restOff, false)
	case "create":
		return p.create(st, rest, restOff)
	case "destroy":
		return p.destroy(st, rest, restOff)
	case "box":
		return p.openBox(st, rest)
	case "end":
		return p.end(st, rest, restOff)
	case "activate", "deactivate":
		return p.activation(st, word == "activate", rest, restOff)
	case "note":
		return p.note(st, rest, restOff)
	case "loop", "alt", "opt", "par", "par_over", "critical", "break", "rect":
		return p.openBlock(st, word, rest)
	case "else", "and", "option":
		return p.section(st, word, rest)
	case "autonumber":
		return p.autonumber(st, rest, restOff)
	case "title":
		title, err := p.text(st, restOff, strings.TrimPrefix(rest, ":"))
		p.d.Title = title
		return err
	case "acctitle":
		return p.accText(st, &p.d.AccTitle, rest, restOff, "accTitle")
	case "accdescr":
		return p.accDescr(st, rest, restOff)
	case "link", "links", "properties", "details":
		// TODO: Participant menus (link, links, properties, details) are
		// accepted but not drawn, because a static SVG has no popup menus.
		return nil
	}
	return p.message(st)
}

// participant returns the participant called id, declaring it if new.
func (p *parser) participant(st stmt, at int, id string) (*Participant, error) {
	if pp, ok := p.byID[id]; ok {
		if line, gone := p.gone[pp]; gone {
			return nil, p.errorf(st, at, "participant %q was destroyed on line %d", id, line)
		}
		return pp, nil
	}
	return p.add(st, at, id)
}

func (p *parser) add(st stmt, at int, id string) (*Participant, error) {
	if len(p.d.Participants) >= maxParticipants {
		return nil, p.errorf(st, at, "too many participants: %d at most", maxParticipants)
	}
	pp := &Participant{ID: id, Label: id, Box: p.box, index: len(p.d.Participants)}
	p.byID[id] = pp
	p.d.Participants = append(p.d.Participants, pp)
	return pp, nil
}

// checkName reports a participant name that is empty or holds a character
// Mermaid does not allow in one.
func (p *parser) checkName(st stmt, at int, name, what string) error {
	if name == "" {
		return p.errorf(st, at, "expected %s", what)
	}
	if n := utf8.RuneCountInString(name); n > maxTextLen {
		return p.errorf(st, at, "participant name too long: %d characters, at most %d are "+
			"allowed", n, maxTextLen)
	}
	if i := strings.IndexAny(name, ":,;+<>"); i >= 0 {
		return p.errorf(st, at+i, "unexpected %q in participant name %q", name[i], name)
	}
	return nil
}

// declare parses "participant ID [as Label]" and "actor ...".
//
// TODO: Mermaid 11's participant shapes ("participant DB@{ "type": "database" }")
// are not supported: such a line is reported as a name holding ':'.
func (p *parser) declare(st stmt, actor bool, rest string, off int, creating bool) error {
	id, label, hasLabel := cutAs(rest)
	if err := p.checkName(st, off, id, "a participant name"); err != nil {
		return err
	}
	pp, exists := p.byID[id]
	switch {
	case exists && creating:
		return p.errorf(st, off, "participant %q already exists; create must come before "+
			"its first use", id)
	case exists && p.box != nil && pp.Box != p.box:
		return p.errorf(st, off, "participant %q is already declared outside this box", id)
	case !exists:
		var err error
		if pp, err = p.add(st, off, id); err != nil {
			return err
		}
	}
	pp.Actor = actor
	if hasLabel {
		var err error
		if pp.Label, err = p.text(st, off+len(rest)-len(label), label); err != nil {
			return err
		}
	}
	if creating {
		p.created = &pending{p: pp, line: st.line, st: st}
	}
	return nil
}

// cutAs splits "ID as Label" at the first " as " word.
func cutAs(s string) (id, label string, ok bool) {
	for i := 0; i+4 <= len(s); i++ {
		if (s[i] == ' ' || s[i] == '\t') && strings.EqualFold(s[i+1:i+3], "as") &&
			(i+3 == len(s) || s[i+3] == ' ' || s[i+3] == '\t') {
			return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+3:]), true
		}
	}
	return strings.TrimSpace(s), "", false
}

func (p *parser) create(st stmt, rest string, off int) error {
	word, after := cutWord(rest, false)
	if word != "participant" && word != "actor" {
		return p.errorf(st, off, "expected participant or actor after create")
	}
	if p.created != nil {
		return p.errorf(st, 0, "participant %q, created on line %d, has no message yet",
			p.created.p.ID, p.created.line)
	}
	trimmed := strings.TrimLeft(after, " \t")
	return p.declare(st, word == "actor", trimmed, off+len(rest)-len(trimmed), true)
}

func (p *parser) destroy(st stmt, rest string, off int) error {
	if err := p.checkName(st, off, rest, "a participant name after destroy"); err != nil {
		return err
	}
	pp, err := p.participant(st, off, rest)
	if err != nil {
		return err
	}
	if p.doomed != nil {
		return p.errorf(st, 0, "participant %q, destroyed on line %d, has no message yet",
			p.doomed.p.ID, p.doomed.line)
	}
	p.doomed = &pending{p: pp, line: st.line, st: st}
	return nil
}

func (p *parser) openBox(st stmt, rest string) error {
	if len(p.open) > 0 {
		return p.errorf(st, 0, "a box cannot be opened inside a %s block", p.open[len(p.open)-1].Kind)
	}
	color, label := cutColor(rest)
	text, err := p.text(st, len(st.text)-len(label), label)
	if err != nil {
		return err
	}
	p.box, p.boxAt = &Box{Label: text, Color: color, Line: st.line}, st
	p.d.Boxes = append(p.d.Boxes, p.box)
	return nil
}

func (p *parser) end(st stmt, rest string, off int) error {
	if rest != "" {
		return p.errorf(st, off, "expected nothing after end, found %q", rest)
	}
	if p.box != nil {
		p.box = nil
		return nil
	}
	if len(p.open) == 0 {
		return p.errorf(st, 0, "end without an open block (loop, alt, opt, par, critical, "+
			"break, rect or box)")
	}
	p.open = p.open[:len(p.open)-1]
	p.openAt = p.openAt[:len(p.openAt)-1]
	return nil
}

// items returns the list new statements go to: the open block's last
// section, or the diagram.
func (p *parser) items() *[]Item {
	if len(p.open) == 0 {
		return &p.d.Items
	}
	secs := p.open[len(p.open)-1].Sections
	return &secs[len(secs)-1].Items
}

func (p *parser) emit(it Item) {
	list := p.items()
	*list = append(*list, it)
}

func (p *parser) activation(st stmt, on bool, rest string, off int) error {
	if err := p.checkName(st, off, rest, "a participant name"); err != nil {
		return err
	}
	pp, err := p.participant(st, off, rest)
	if err != nil {
		return err
	}
	if err := p.setActive(st, off, pp, on); err != nil {
		return err
	}
	if err := p.count(st, false); err != nil {
		return err
	}
	p.emit(&Activation{Participant: pp, Active: on, Line: st.line})
	return nil
}

// setActive changes the activation depth of pp, refusing to deactivate a
// participant that is not active, as Mermaid does.
func (p *parser) setActive(st stmt, at int, pp *Participant, on bool) error {
	if on {
		p.active[pp]++
		return nil
	}
	if p.active[pp] == 0 {
		return p.errorf(st, at, "cannot deactivate %q: it is not active", pp.ID)
	}
	p.active[pp]--
	return nil
}

func (p *parser) autonumber(st stmt, rest string, off int) error {
	fields := strings.Fields(rest)
	if len(fields) == 1 && strings.EqualFold(fields[0], "off") {
		p.number.on = false
		return nil
	}
	if len(fields) > 2 {
		return p.errorf(st, off, "expected autonumber [start [step]] or autonumber off")
	}
	nums := make([]int, len(fields))
	for i, f := range fields {
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 || n > maxAutonumber {
			return p.errorf(st, off+strings.Index(rest, f), "expected off or a whole "+
				"number from 0 to %d after autonumber, found %q", maxAutonumber, f)
		}
		nums[i] = n
	}
	p.number.on = true
	if len(nums) > 0 {
		p.number.next = nums[0]
	}
	if len(nums) > 1 {
		p.number.step = nums[1]
	}
	return nil
}

func (p *parser) accText(st stmt, dst *string, rest string, off int, kw string) error {
	text, ok := strings.CutPrefix(rest, ":")
	if !ok {
		return p.errorf(st, off, "expected ':' after %s", kw)
	}
	var err error
	*dst, err = p.text(st, off+1, text)
	return err
}

func (p *parser) accDescr(st stmt, rest string, off int) error {
	body, ok := strings.CutPrefix(rest, "{")
	if !ok {
		return p.accText(st, &p.d.AccDescr, rest, off, "accDescr")
	}
	body, ok = strings.CutSuffix(body, "}")
	if !ok {
		return p.errorf(st, off, "accDescr { is never closed; expected }")
	}
	lines := strings.Split(body, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	var err error
	p.d.AccDescr, err = p.text(st, off+1, strings.TrimSpace(strings.Join(lines, "\n")))
	return err
}

// finish checks what must hold at the end of the text.
func (p *parser) finish() error {
	if p.box != nil {
		return p.errorf(p.boxAt, 0, "box is never closed; expected end")
	}
	if n := len(p.open); n > 0 {
		return p.errorf(p.openAt[n-1], 0, "%s block is never closed; expected end",
			p.open[n-1].Kind)
	}
	if c := p.created; c != nil {
		return p.errorf(c.st, 0, "participant %q is created but no message follows to create it",
			c.p.ID)
	}
	if c := p.doomed; c != nil {
		return p.errorf(c.st, 0, "participant %q is destroyed but no message follows to "+
			"destroy it", c.p.ID)
	}
	return nil
}
