package diagram

import (
	"fmt"
	"hash/fnv"
	"io"
	"strconv"
	"strings"
)

// Option changes how [Render] draws a diagram.
type Option func(*renderConfig)

type renderConfig struct {
	idPrefix string
	maxBytes int // the largest SVG allowed; maxSVGBytes unless a test lowers it
}

// WithIDPrefix sets the prefix of the element ids inside the SVG. By default
// it is derived from a hash of the drawing, so different diagrams inlined on
// one page do not clash.
func WithIDPrefix(prefix string) Option {
	return func(c *renderConfig) { c.idPrefix = prefix }
}

// RenderSVG parses src and draws it as a standalone SVG document.
func RenderSVG(src []byte) ([]byte, error) {
	d, err := Parse(src)
	if err != nil {
		return nil, err
	}
	return render(d, renderConfig{maxBytes: maxSVGBytes})
}

// Render draws d as an SVG document and writes it to w. The same diagram
// always gives the same bytes. A drawing larger than 8 MiB is refused with
// [ErrTooLarge] before anything is written.
func Render(d *Diagram, w io.Writer, opts ...Option) error {
	cfg := renderConfig{maxBytes: maxSVGBytes}
	for _, o := range opts {
		o(&cfg)
	}
	b, err := render(d, cfg)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// render draws d as an SVG document in memory. The result is the writer's own buffer, so a
// large drawing is copied once less than through an io.Writer.
func render(d *Diagram, cfg renderConfig) ([]byte, error) {
	l := layoutDiagram(d)
	l.fitTitle()

	// Draw the body first, so the default id prefix can hash it.
	body := &svgWriter{
		b:     make([]byte, 0, min(1024+512*len(l.shapes), cfg.maxBytes)), // about 400 B a shape
		limit: cfg.maxBytes,
	}
	if !l.drawBody(body) {
		return nil, ErrTooLarge
	}
	if cfg.idPrefix == "" {
		h := fnv.New64a()
		h.Write(body.b)
		cfg.idPrefix = fmt.Sprintf("cl%016x", h.Sum64())
	}

	out := &svgWriter{b: make([]byte, 0, len(body.b)+len(styleSheet)+512)}
	l.drawHeader(out, cfg.idPrefix)
	out.b = append(out.b, body.b...)
	out.s("</svg>\n")
	if len(out.b) > cfg.maxBytes {
		return nil, ErrTooLarge
	}
	return out.b, nil
}

func (l *layout) fitTitle() {
	if l.d.Title == "" {
		return
	}
	if len(l.d.Participants) == 0 {
		l.minX, l.maxX = 0, 0
	}
	tw := linesWidth(splitLines(l.d.Title), titleSize) * 1.1 // drawn bold
	if extra := tw - (l.maxX - l.minX); extra > 0 {
		l.minX -= extra / 2
		l.maxX += extra / 2
	}
}

// viewBox returns the drawing's bounds with margins.
func (l *layout) viewBox() (x, y, w, h float64) {
	minX, maxX := l.minX, l.maxX
	if minX > maxX {
		minX, maxX = 0, 0
	}
	return minX - marginX, -marginY, maxX - minX + 2*marginX, l.maxY + 2*marginY
}

func (l *layout) drawHeader(w *svgWriter, prefix string) {
	x, y, vw, vh := l.viewBox()
	w.s(`<svg xmlns="http://www.w3.org/2000/svg" class="cl-seq" viewBox="`)
	w.n(x).s(" ").n(y).s(" ").n(vw).s(" ").n(vh).s(`"`)
	w.attr("width", vw).attr("height", vh)
	w.s(` role="img" aria-labelledby="`).text(prefix).s(`-title" aria-describedby="`).
		text(prefix).s(`-desc">` + "\n")
	w.s(`<title id="`).text(prefix).s(`-title">`).text(l.accTitle()).s("</title>\n")
	w.s(`<desc id="`).text(prefix).s(`-desc">`).text(l.accDescr()).s("</desc>\n")
	w.s("<style>").s(styleSheet).s("</style>\n")
	w.s(`<rect class="cl-bg"`).attr("x", x).attr("y", y).attr("width", vw).attr("height", vh).
		s("/>\n")
}

func (l *layout) accTitle() string {
	switch {
	case l.d.AccTitle != "":
		return l.d.AccTitle
	case l.d.Title != "":
		return strings.ReplaceAll(l.d.Title, "\n", " ")
	}
	return "Sequence diagram"
}

// accDescr returns the accessible description: the author's, or a summary.
func (l *layout) accDescr() string {
	if l.d.AccDescr != "" {
		return l.d.AccDescr
	}
	names := make([]string, len(l.d.Participants))
	for i, p := range l.d.Participants {
		names[i] = strings.ReplaceAll(p.Label, "\n", " ")
	}
	msgs := 0
	for _, s := range l.shapes {
		if s.msg != nil {
			msgs++
		}
	}
	return "Sequence diagram between " + strings.Join(names, ", ") + ", with " +
		strconv.Itoa(msgs) + " messages."
}

// drawBody draws every shape, back to front. It stops and returns false as
// soon as the markup passes w's limit, so a huge drawing is never built whole.
func (l *layout) drawBody(w *svgWriter) bool {
	l.drawTitle(w)
	l.drawBoxes(w)
	l.drawFrames(w, false)
	l.drawLifelines(w)
	for _, b := range l.barList {
		w.s(`<rect class="cl-bar"`).attr("x", b.x).attr("y", b.y1).attr("width", 2*barHalf).
			attr("height", b.y2-b.y1).s("/>\n")
	}
	l.drawFrames(w, true)
	for i := range l.shapes {
		if w.full() {
			return false
		}
		s := &l.shapes[i]
		if s.note != nil {
			l.drawNote(w, s)
			continue
		}
		l.drawMessage(w, s)
	}
	l.drawParticipants(w)
	return !w.full()
}

// drawLines draws text lines centred on x (or starting at x), the first
// line's box starting at top.
func drawLines(w *svgWriter, lines []string, x, top float64, anchor, class string) {
	for i, line := range lines {
		w.s("<text").attr("x", x).attr("y", top+float64(i)*lineHeight+14)
		if anchor != "" {
			w.s(` text-anchor="`).s(anchor).s(`"`)
		}
		if class != "" {
			w.s(` class="`).s(class).s(`"`)
		}
		w.s(">").text(line).s("</text>\n")
	}
}

func (l *layout) drawTitle(w *svgWriter) {
	if l.d.Title == "" {
		return
	}
	cx := (l.minX + l.maxX) / 2
	for i, line := range splitLines(l.d.Title) {
		w.s(`<text class="cl-title" text-anchor="middle"`).attr("x", cx).
			attr("y", float64(i)*titleLine+18).s(">").text(line).s("</text>\n")
	}
}

func (l *layout) drawBoxes(w *svgWriter) {
	top := l.headerTop - 6
	if l.hasBoxLabels() {
		top -= lineHeight + 6
	}
	for _, b := range l.d.Boxes {
		lo, hi := l.boxSpan(b)
		if lo > hi {
			continue
		}
		x1, x2 := l.xs[lo]-l.widths[lo]/2-8, l.xs[hi]+l.widths[hi]/2+8
		w.s(`<rect class="cl-box`)
		if b.Color != "" {
			w.s(` cl-box-color" style="fill:`).text(b.Color)
		}
		w.s(`"`).attr("x", x1).attr("y", top).attr("width", x2-x1).
			attr("height", l.bottomTop+l.headerH+6-top).s(` rx="4"/>` + "\n")
		if b.Label != "" {
			drawLines(w, []string{b.Label}, (x1+x2)/2, top+2, "middle", "")
		}
	}
}

func (l *layout) drawLifelines(w *svgWriter) {
	for i, p := range l.d.Participants {
		x, y1, y2 := l.xs[i], l.heads[i]+l.hs[i], l.ends[i]
		w.s(`<line class="cl-lifeline"`).attr("x1", x).attr("y1", y1).attr("x2", x).
			attr("y2", y2).s("/>\n")
		if p.DestroyedBy != nil {
			w.s(`<path class="cl-destroy" d="M`).n(x - 9).s(" ").n(y2 - 9).s("L").n(x + 9).s(" ").
				n(y2 + 9).s("M").n(x + 9).s(" ").n(y2 - 9).s("L").n(x - 9).s(" ").n(y2 + 9).s(`"/>` + "\n")
		}
	}
}

func (l *layout) drawParticipants(w *svgWriter) {
	for i, p := range l.d.Participants {
		l.drawParticipant(w, i, p, l.heads[i], l.hs[i])
		if p.DestroyedBy == nil {
			l.drawParticipant(w, i, p, l.bottomTop, l.headerH)
		}
	}
}

func (l *layout) drawParticipant(w *svgWriter, i int, p *Participant, top, h float64) {
	x, lines := l.xs[i], splitLines(p.Label)
	if !p.Actor {
		w.s(`<rect class="cl-actor"`).attr("x", x-l.widths[i]/2).attr("y", top).
			attr("width", l.widths[i]).attr("height", h).s(` rx="4"/>` + "\n")
		drawLines(w, lines, x, top+(h-float64(len(lines))*lineHeight)/2, "middle", "")
		return
	}
	w.s(`<g class="cl-figure"><circle`).attr("cx", x).attr("cy", top+9).attr("r", 8).s("/>")
	w.s(`<path d="M`).n(x).s(" ").n(top + 17).s("V").n(top + 31).
		s("M").n(x - 13).s(" ").n(top + 22).s("H").n(x + 13).
		s("M").n(x - 11).s(" ").n(top + figureHeight - 1).s("L").n(x).s(" ").n(top + 31).
		s("L").n(x + 11).s(" ").n(top + figureHeight - 1).s(`"/></g>` + "\n")
	drawLines(w, lines, x, top+figureHeight+2, "middle", "")
}

func (l *layout) drawNote(w *svgWriter, s *shape) {
	w.s(`<rect class="cl-note"`).attr("x", s.x1).attr("y", s.y).attr("width", s.w).
		attr("height", s.h).s(` rx="2"/>` + "\n")
	drawLines(w, s.lines, s.x1+s.w/2, s.y+notePad, "middle", "")
}
