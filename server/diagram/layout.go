package diagram

import "math"

// layout is a diagram placed on the page: every shape with its coordinates.
type layout struct {
	d  *Diagram
	pl placer

	xs     []float64 // lifeline x of each participant
	widths []float64 // box width of each participant
	heads  []float64 // top y of each participant's box (later for created ones)
	hs     []float64 // box height of each participant
	ends   []float64 // y where each lifeline ends
	bars   [][]openBar
	depth  []int // activation depth of each participant during the horizontal pass

	headerTop, headerH, bottomTop float64
	minX, maxX, maxY              float64

	shapes  []shape // drawn in order after frames
	frames  []frame
	barList []bar

	y           float64
	lastArrowY  float64
	prevMessage bool
	open        []*frameBuild
}

type openBar struct{ y float64 }

// bar is one activation bar.
type bar struct{ x, y1, y2 float64 }

// shape is a message or a note, in source order.
type shape struct {
	msg  *Message
	note *Note

	x1, x2, y float64 // message: arrow from x1 to x2 at y; note: box corners
	w, h      float64 // note size
	lines     []string
	cross     bool // the message destroys its target: draw a cross at x2
}

// frame is a block's frame (or a rect's background) with its sections.
type frame struct {
	b          *Block
	x1, y1     float64
	x2, y2     float64
	depth      int
	separators []float64 // y of each section after the first
}

type frameBuild struct {
	frame
	lo, hi float64
}

// layoutDiagram places every shape of d.
func layoutDiagram(d *Diagram) *layout {
	n := len(d.Participants)
	l := &layout{
		d: d, minX: math.Inf(1), maxX: math.Inf(-1),
		pl:     placer{byRight: make([][]constraint, n)},
		widths: make([]float64, n), heads: make([]float64, n), hs: make([]float64, n),
		ends: make([]float64, n), bars: make([][]openBar, n), depth: make([]int, n),
	}

	// Horizontal: widths, then constraints, then positions.
	for i, p := range d.Participants {
		l.widths[i] = max(minActorWidth, linesWidth(splitLines(p.Label), fontSize)+2*actorPadX)
		l.hs[i] = participantHeight(p)
	}
	l.constrainItems(d.Items)
	l.constrainBoxes()
	if n > 0 {
		l.xs = l.pl.place(l.widths)
		l.grow(l.xs[0]-l.widths[0]/2-l.pl.left, l.xs[n-1]+l.widths[n-1]/2+l.pl.right)
	}

	// Vertical: title, box labels, header, statements, footer.
	if d.Title != "" {
		l.y = float64(len(splitLines(d.Title)))*titleLine + 8
	}
	if l.hasBoxLabels() {
		l.y += lineHeight + 8
	}
	l.headerTop = l.y
	for i, p := range d.Participants {
		if p.CreatedBy == nil {
			l.headerH = max(l.headerH, l.hs[i])
		}
	}
	for i, p := range d.Participants {
		l.heads[i] = l.headerTop
		if p.CreatedBy == nil {
			l.hs[i] = l.headerH
		}
	}
	l.y += l.headerH
	l.walk(d.Items)
	l.y += 12
	for i, stack := range l.bars {
		for len(stack) > 0 {
			l.closeBar(i, l.y)
			stack = l.bars[i]
		}
	}
	for i, p := range d.Participants {
		if p.DestroyedBy == nil {
			l.ends[i] = l.y
		}
	}
	l.bottomTop = l.y
	l.maxY = l.y + l.headerH
	return l
}

func participantHeight(p *Participant) float64 {
	lines := float64(max(1, len(splitLines(p.Label))))
	if p.Actor {
		return figureHeight + lines*lineHeight + 4
	}
	return max(40, lines*lineHeight+16)
}

func (l *layout) hasBoxLabels() bool {
	for _, b := range l.d.Boxes {
		if b.Label != "" {
			return true
		}
	}
	return false
}

// constrainBoxes makes each box wide enough for its label.
func (l *layout) constrainBoxes() {
	for _, b := range l.d.Boxes {
		lo, hi := l.boxSpan(b)
		if lo > hi {
			continue
		}
		w := textWidth(b.Label, fontSize) + 2*notePad
		l.pl.need(lo, hi, w-l.widths[lo]/2-l.widths[hi]/2)
	}
}

func (l *layout) boxSpan(b *Box) (lo, hi int) {
	lo, hi = len(l.d.Participants), -1
	for i, p := range l.d.Participants {
		if p.Box == b {
			lo, hi = min(lo, i), max(hi, i)
		}
	}
	return lo, hi
}

// grow widens the diagram's horizontal bounds and those of open frames.
func (l *layout) grow(x1, x2 float64) {
	l.minX, l.maxX = min(l.minX, x1), max(l.maxX, x2)
	if n := len(l.open); n > 0 {
		f := l.open[n-1]
		f.lo, f.hi = min(f.lo, x1), max(f.hi, x2)
	}
}

// edges returns the left and right edge of p's lifeline or deepest bar.
func (l *layout) edges(i int) (float64, float64) {
	x, d := l.xs[i], len(l.bars[i])
	if d == 0 {
		return x, x
	}
	c := x + float64(d-1)*barShift
	return c - barHalf, c + barHalf
}

func (l *layout) walk(items []Item) {
	for _, it := range items {
		switch it := it.(type) {
		case *Message:
			l.message(it)
		case *Note:
			l.note(it)
		case *Activation:
			l.activation(it)
		case *Block:
			l.block(it)
		}
		_, isMsg := it.(*Message)
		l.prevMessage = isMsg
	}
}

// markY is where an activation starts or ends: at the arrow of the message
// just before it, or at the cursor.
func (l *layout) markY() float64 {
	if l.prevMessage {
		return l.lastArrowY
	}
	return l.y
}

func (l *layout) activation(a *Activation) {
	i := a.Participant.index
	if a.Active {
		l.openBar(i, l.markY())
		return
	}
	l.closeBar(i, l.markY())
}

func (l *layout) openBar(i int, y float64) {
	l.bars[i] = append(l.bars[i], openBar{y: y})
	l.growLifelines(i, i)
}

func (l *layout) closeBar(i int, y float64) {
	stack := l.bars[i]
	if len(stack) == 0 {
		return
	}
	top := stack[len(stack)-1]
	x1, _ := l.edges(i)
	l.barList = append(l.barList, bar{x: x1, y1: top.y, y2: max(y, top.y+10)})
	l.bars[i] = stack[:len(stack)-1]
}

func (l *layout) message(m *Message) {
	from, to := m.From.index, m.To.index
	lines := splitLines(m.Text)
	l.y += 8 + float64(len(lines))*lineHeight
	created := m.To.CreatedBy == m && m.From != m.To
	if created {
		l.y += l.hs[to]/2 - 6
	}
	y := l.y + 4
	l.lastArrowY = y

	s := shape{msg: m, y: y, lines: lines}
	if from == to {
		_, r := l.edges(from)
		if m.Activate {
			l.bars[to] = append(l.bars[to], openBar{y: y})
		}
		_, r2 := l.edges(to)
		s.x1, s.x2 = r, r2
		l.grow(l.xs[from], r+max(selfLoopWidth, linesWidth(lines, fontSize)+msgPad))
		l.y = y + 24
	} else {
		s.x1, s.x2 = l.arrowEnds(m, created)
		l.y = y + 4
	}
	if created {
		l.heads[to] = y - l.hs[to]/2
		l.y = y + l.hs[to]/2
	}
	if m.To.DestroyedBy == m || m.From.DestroyedBy == m {
		s.cross = m.To.DestroyedBy == m
		gone := m.To
		if m.From.DestroyedBy == m {
			gone = m.From
		}
		l.ends[gone.index] = y
		for len(l.bars[gone.index]) > 0 {
			l.closeBar(gone.index, y)
		}
	}
	l.grow(min(s.x1, s.x2), max(s.x1, s.x2))
	l.growLifelines(from, to)
	l.shapes = append(l.shapes, s)
	if m.Deactivate {
		l.closeBar(from, y)
	}
}

// arrowEnds returns where a message between two lifelines starts and ends,
// at the edges of activation bars and of a participant it creates.
func (l *layout) arrowEnds(m *Message, created bool) (float64, float64) {
	from, to := m.From.index, m.To.index
	fl, fr := l.edges(from)
	if m.Activate {
		l.bars[to] = append(l.bars[to], openBar{y: l.lastArrowY})
	}
	tl, tr := l.edges(to)
	if created {
		half := l.widths[to] / 2
		if m.To.Actor {
			half = 18
		}
		tl, tr = l.xs[to]-half, l.xs[to]+half
	}
	if l.xs[from] < l.xs[to] {
		return fr, tl
	}
	return fl, tr
}

// growLifelines widens open frames to hold the lifelines of participants
// a and b with room for their activation bars.
func (l *layout) growLifelines(a, b int) {
	const room = 3 * barHalf
	l.grow(min(l.xs[a], l.xs[b])-room, max(l.xs[a], l.xs[b])+room)
}

func (l *layout) note(n *Note) {
	lines := splitLines(n.Text)
	w := noteWidth(n)
	h := float64(max(1, len(lines)))*lineHeight + 2*notePad
	x := l.xs[n.Over[0].index]
	var x1 float64
	switch {
	case n.Placement == NoteLeftOf:
		x1 = x - noteGap - w
	case n.Placement == NoteRightOf:
		x1 = x + noteGap
	case len(n.Over) == 2:
		a, b := l.xs[n.Over[0].index], l.xs[n.Over[1].index]
		lo, hi := min(a, b)-noteOverhang, max(a, b)+noteOverhang
		w = max(w, hi-lo)
		x1 = (lo+hi)/2 - w/2
	default:
		x1 = x - w/2
	}
	l.y += 10
	l.shapes = append(l.shapes, shape{note: n, x1: x1, y: l.y, w: w, h: h, lines: lines})
	l.grow(x1, x1+w)
	l.y += h
}

func (l *layout) block(b *Block) {
	l.y += 10
	fb := &frameBuild{
		frame: frame{b: b, y1: l.y, depth: len(l.open)},
		lo:    math.Inf(1), hi: math.Inf(-1),
	}
	l.open = append(l.open, fb)
	for i, s := range b.Sections {
		if i > 0 {
			l.y += 8
			fb.separators = append(fb.separators, l.y)
		}
		if b.Kind != BlockRect {
			l.y += float64(max(1, len(splitLines(bracket(s.Label)))))*lineHeight + 6
		}
		l.prevMessage = false
		l.walk(s.Items)
	}
	l.y += 10
	fb.y2 = l.y
	l.open = l.open[:len(l.open)-1]

	// Frame the contents, wide enough for every label.
	switch {
	case fb.lo <= fb.hi:
	case len(l.xs) > 0:
		fb.lo, fb.hi = l.xs[0]-l.widths[0]/2, l.xs[0]+l.widths[0]/2
	default:
		fb.lo, fb.hi = 0, minActorWidth
	}
	fb.x1, fb.x2 = fb.lo-framePad, fb.hi+framePad
	for i := range b.Sections {
		fb.x2 = max(fb.x2, fb.x1+sectionLabelWidth(b, i))
	}
	l.frames = append(l.frames, fb.frame)
	l.grow(fb.x1, fb.x2)
	l.prevMessage = false
}
