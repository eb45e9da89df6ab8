package diagram

// Sizes in pixels shared by layout and rendering.
const (
	fontSize      = 14.0
	lineHeight    = 18.0
	titleSize     = 18.0
	titleLine     = 24.0
	numberSize    = 10.0
	minActorWidth = 90.0
	actorPadX     = 12.0
	actorGap      = 30.0 // least space between neighbouring participant boxes
	msgPad        = 14.0 // space each side of a message label
	notePad       = 8.0  // space inside a note
	noteGap       = 10.0 // space between a lifeline and a note beside it
	minNoteWidth  = 80.0 // least width of a note
	noteOverhang  = 25.0 // how far "over A,B" reaches past A and B
	selfLoopWidth = 30.0 // width of a self-message loop
	barHalf       = 5.0  // half the width of an activation bar
	barShift      = 5.0  // horizontal shift of each nested activation bar
	framePad      = 12.0 // space between a block frame and what it holds
	tagPad        = 8.0  // space around the keyword in a frame's tag
	figureHeight  = 42.0 // height of an actor's stick figure
	marginX       = 16.0 // space around the whole diagram
	marginY       = 16.0
)

// constraint says that lifeline j must sit at least dist right of lifeline i.
type constraint struct {
	i   int
	dst float64
}

// placer computes lifeline positions: every constraint "x[j] - x[i] >= d"
// points left to right, so one pass over the participants in order finds the
// narrowest positions that satisfy them all, in time linear in their number.
type placer struct {
	byRight [][]constraint // constraints indexed by their right lifeline j
	right   float64        // extra room needed right of the last lifeline
	left    float64        // extra room needed left of the first lifeline
}

func (pl *placer) need(i, j int, d float64) {
	if i > j {
		i, j = j, i
	}
	switch {
	case i == j:
		return
	case i < 0:
		pl.left = max(pl.left, d)
	case j >= len(pl.byRight):
		pl.right = max(pl.right, d)
	default:
		pl.byRight[j] = append(pl.byRight[j], constraint{i: i, dst: d})
	}
}

// place returns the x of each lifeline given the participant widths.
func (pl *placer) place(widths []float64) []float64 {
	xs := make([]float64, len(widths))
	for j := range xs {
		if j == 0 {
			xs[0] = widths[0] / 2
			continue
		}
		x := xs[j-1] + widths[j-1]/2 + actorGap + widths[j]/2
		for _, c := range pl.byRight[j] {
			x = max(x, xs[c.i]+c.dst)
		}
		xs[j] = x
	}
	return xs
}

// constrainItems adds the horizontal needs of items and returns the range of
// lifelines they touch (lo > hi when they touch none).
func (l *layout) constrainItems(items []Item) (lo, hi int) {
	lo, hi = len(l.d.Participants), -1
	span := func(a, b int) {
		lo, hi = min(lo, a, b), max(hi, a, b)
	}
	for _, it := range items {
		switch it := it.(type) {
		case *Message:
			a, b := it.From.index, it.To.index
			span(a, b)
			w := linesWidth(splitLines(it.Text), fontSize)
			if it.Numbered {
				w += 2 * (numberRadius(it.Number) + 4)
			}
			extra := l.barRoom(it)
			if a == b {
				l.pl.need(a, a+1, max(selfLoopWidth, w+barHalf+msgPad)+noteGap+extra)
				continue
			}
			if it.To.CreatedBy == it {
				extra += l.widths[b] / 2 // the arrow stops at the new participant's box
			}
			l.pl.need(a, b, w+2*msgPad+2*barHalf+extra)
		case *Note:
			l.constrainNote(it)
			for _, p := range it.Over {
				span(p.index, p.index)
			}
		case *Activation:
			span(it.Participant.index, it.Participant.index)
			if it.Active {
				l.depth[it.Participant.index]++
			} else {
				l.depth[it.Participant.index] = max(0, l.depth[it.Participant.index]-1)
			}
		case *Block:
			a, b := l.constrainBlock(it)
			if a <= b {
				span(a, b)
			}
		}
	}
	return lo, hi
}

// barRoom returns how much nested activation bars at either end shorten the
// arrow of m, and follows m's own activation changes. It walks the
// statements in the same order as the vertical pass, so it sees the same
// depths.
func (l *layout) barRoom(m *Message) float64 {
	from, to := m.From.index, m.To.index
	if m.Activate {
		l.depth[to]++
	}
	room := float64(max(0, l.depth[from]-1)+max(0, l.depth[to]-1)) * barShift
	if m.Deactivate {
		l.depth[from] = max(0, l.depth[from]-1)
	}
	return room
}

func (l *layout) constrainNote(n *Note) {
	w := noteWidth(n)
	a := n.Over[0].index
	switch {
	case n.Placement == NoteLeftOf:
		l.pl.need(a-1, a, w+2*noteGap)
	case n.Placement == NoteRightOf:
		l.pl.need(a, a+1, w+2*noteGap)
	case len(n.Over) == 2:
		b := n.Over[1].index
		lo, hi := min(a, b), max(a, b)
		l.pl.need(lo, hi, w-2*noteOverhang)
		l.pl.need(lo-1, lo, noteGap)
		l.pl.need(hi, hi+1, noteGap)
	default:
		l.pl.need(a-1, a, w/2+noteGap)
		l.pl.need(a, a+1, w/2+noteGap)
	}
}

// constrainBlock makes room for a block's labels across the lifelines its
// statements touch.
func (l *layout) constrainBlock(b *Block) (lo, hi int) {
	lo, hi = len(l.d.Participants), -1
	need := 0.0
	for i, s := range b.Sections {
		a, z := l.constrainItems(s.Items)
		lo, hi = min(lo, a), max(hi, z)
		w := sectionLabelWidth(b, i)
		need = max(need, w)
	}
	if lo > hi {
		return lo, hi
	}
	if lo == hi {
		l.pl.need(lo, lo+1, need-framePad)
		return lo, hi
	}
	l.pl.need(lo, hi, need-2*framePad)
	return lo, hi
}

// sectionLabelWidth is the width a block's frame needs to show the label of
// section i (and, for the first, the keyword tag).
func sectionLabelWidth(b *Block, i int) float64 {
	if b.Kind == BlockRect {
		return 0
	}
	w := linesWidth(splitLines(bracket(b.Sections[i].Label)), fontSize) + 2*tagPad
	if i == 0 {
		w += tagWidth(b.Kind)
	}
	return w
}

func tagWidth(k BlockKind) float64 {
	return textWidth(k.String(), fontSize) + 2*tagPad + 6
}

// bracket returns "[label]" for a non-empty label, as Mermaid draws it.
func bracket(label string) string {
	if label == "" {
		return ""
	}
	return "[" + label + "]"
}

func noteWidth(n *Note) float64 {
	return max(minNoteWidth, linesWidth(splitLines(n.Text), fontSize)+2*notePad)
}

func numberRadius(n int) float64 {
	digits := 1
	for n >= 10 {
		n /= 10
		digits++
	}
	return max(8, float64(digits)*numberSize*0.33+3)
}
