package diagram

import "slices"

func (l *layout) drawMessage(w *svgWriter, s *shape) {
	m := s.msg
	class := `"cl-msg"`
	if m.Arrow.Dotted() {
		class = `"cl-msg cl-dotted"`
	}
	if m.From == m.To {
		l.drawSelf(w, s, class)
	} else {
		dir := 1.0
		if s.x2 < s.x1 {
			dir = -1
		}
		drawLines(w, s.lines, (s.x1+s.x2)/2, s.y-4-float64(len(s.lines))*lineHeight,
			"middle", "cl-label")
		x1, x2 := s.x1, s.x2
		if hasHead(m.Arrow) {
			x2 -= dir * 3
		}
		if m.Arrow == ArrowSolidBoth || m.Arrow == ArrowDottedBoth {
			x1 += dir * 3
			drawHead(w, m.Arrow, s.x1, s.y, -dir)
		}
		w.s(`<line class=`).s(class).attr("x1", x1).attr("y1", s.y).attr("x2", x2).
			attr("y2", s.y).s("/>\n")
		drawHead(w, m.Arrow, s.x2, s.y, dir)
	}
	if m.Numbered {
		drawNumber(w, m.Number, s.x1, s.y)
	}
}

// drawSelf draws a message from a participant to itself as a loop to the
// right of its lifeline.
func (l *layout) drawSelf(w *svgWriter, s *shape, class string) {
	right := s.x1 + selfLoopWidth
	textX := s.x1 + 6
	if s.msg.Numbered {
		textX = s.x1 + numberRadius(s.msg.Number) + 4
	}
	drawLines(w, s.lines, textX, s.y-4-float64(len(s.lines))*lineHeight, "start", "cl-label")
	y2 := s.y + 16
	w.s(`<path class=`).s(class).s(` d="M`).n(s.x1).s(" ").n(s.y).s("H").n(right).
		s("V").n(y2).s("H").n(s.x2 + 3).s(`"/>` + "\n")
	drawHead(w, s.msg.Arrow, s.x2, y2, -1)
}

func hasHead(a Arrow) bool {
	return a != ArrowSolid && a != ArrowDotted
}

// drawHead draws the head of arrow a with its tip at (x, y), pointing in
// direction dir (1 right, -1 left).
func drawHead(w *svgWriter, a Arrow, x, y, dir float64) {
	switch a {
	case ArrowSolidHead, ArrowDottedHead, ArrowSolidBoth, ArrowDottedBoth:
		w.s(`<path class="cl-head" d="M`).n(x).s(" ").n(y).s("L").n(x - dir*10).s(" ").n(y - 5).
			s("L").n(x - dir*10).s(" ").n(y + 5).s(`Z"/>` + "\n")
	case ArrowSolidOpen, ArrowDottedOpen:
		w.s(`<path class="cl-open" d="M`).n(x - dir*10).s(" ").n(y - 6).s("L").n(x).s(" ").n(y).
			s("L").n(x - dir*10).s(" ").n(y + 6).s(`"/>` + "\n")
	case ArrowSolidCross, ArrowDottedCross:
		cx := x - dir*5
		w.s(`<path class="cl-open" d="M`).n(cx - 5).s(" ").n(y - 5).s("L").n(cx + 5).s(" ").n(y + 5).
			s("M").n(cx + 5).s(" ").n(y - 5).s("L").n(cx - 5).s(" ").n(y + 5).s(`"/>` + "\n")
	}
}

// drawNumber draws an autonumber marker centred on (x, y).
func drawNumber(w *svgWriter, n int, x, y float64) {
	w.s(`<circle class="cl-num"`).attr("cx", x).attr("cy", y).attr("r", numberRadius(n)).
		s("/>\n")
	w.s(`<text class="cl-num-text" text-anchor="middle"`).attr("x", x).attr("y", y+3.5).s(">")
	w.b = appendInt(w.b, n)
	w.s("</text>\n")
}

func appendInt(b []byte, n int) []byte {
	if n >= 10 {
		b = appendInt(b, n/10)
	}
	return append(b, byte('0'+n%10))
}

// drawFrames draws the frames of blocks, outer ones first (they were
// appended after the frames they hold). With labels false it draws the
// outlines and backgrounds, which go behind the lifelines; with labels true
// it draws the tags and labels, which go over the activation bars.
func (l *layout) drawFrames(w *svgWriter, labels bool) {
	order := make([]*frame, len(l.frames))
	for i := range l.frames {
		order[i] = &l.frames[i]
	}
	slices.SortStableFunc(order, func(a, b *frame) int { return a.depth - b.depth })
	for _, f := range order {
		if w.full() {
			return
		}
		if labels {
			l.drawFrameLabels(w, f)
		} else {
			l.drawFrameOutline(w, f)
		}
	}
}

func (l *layout) drawFrameOutline(w *svgWriter, f *frame) {
	b := f.b
	if b.Kind == BlockRect {
		w.s(`<rect class="cl-rect"`)
		if b.Color != "" {
			w.s(` style="fill:`).text(b.Color).s(`"`)
		}
		w.attr("x", f.x1).attr("y", f.y1).attr("width", f.x2-f.x1).attr("height", f.y2-f.y1).
			s("/>\n")
		return
	}
	w.s(`<rect class="cl-frame"`).attr("x", f.x1).attr("y", f.y1).attr("width", f.x2-f.x1).
		attr("height", f.y2-f.y1).s("/>\n")
	for _, sy := range f.separators {
		w.s(`<line class="cl-sep"`).attr("x1", f.x1).attr("y1", sy).attr("x2", f.x2).
			attr("y2", sy).s("/>\n")
	}
}

func (l *layout) drawFrameLabels(w *svgWriter, f *frame) {
	b := f.b
	if b.Kind == BlockRect {
		return
	}
	tw := tagWidth(b.Kind)
	w.s(`<path class="cl-tag" d="M`).n(f.x1).s(" ").n(f.y1).s("H").n(f.x1 + tw).s("V").n(f.y1 + 13).
		s("L").n(f.x1 + tw - 7).s(" ").n(f.y1 + 20).s("H").n(f.x1).s(`Z"/>` + "\n")
	w.s(`<text class="cl-tag-text"`).attr("x", f.x1+tagPad).attr("y", f.y1+15).s(">").
		s(b.Kind.String()).s("</text>\n")
	label := splitLines(bracket(b.Sections[0].Label))
	drawLines(w, label, (f.x1+tw+f.x2)/2, f.y1+2, "middle", "cl-label")
	for i, sy := range f.separators {
		drawLines(w, splitLines(bracket(b.Sections[i+1].Label)), (f.x1+f.x2)/2, sy+2,
			"middle", "cl-label")
	}
}
