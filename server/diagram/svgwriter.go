package diagram

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// svgWriter appends SVG markup to a byte slice. Numbers are rounded to one
// decimal and printed without exponent, so output is the same on every run.
type svgWriter struct {
	b     []byte
	limit int // the size past which the drawing is abandoned; 0 for none
}

// full reports whether the markup has grown past the writer's limit.
func (w *svgWriter) full() bool {
	return w.limit > 0 && len(w.b) > w.limit
}

func (w *svgWriter) s(text string) *svgWriter {
	w.b = append(w.b, text...)
	return w
}

// n writes a coordinate.
func (w *svgWriter) n(v float64) *svgWriter {
	if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1e15 {
		v = 0
	}
	tenths := int64(math.Round(v * 10))
	if tenths < 0 {
		w.b = append(w.b, '-')
		tenths = -tenths
	}
	w.b = strconv.AppendInt(w.b, tenths/10, 10)
	if d := tenths % 10; d != 0 {
		w.b = append(w.b, '.', byte('0'+d))
	}
	return w
}

// attr writes ` name="v"` for a number.
func (w *svgWriter) attr(name string, v float64) *svgWriter {
	w.b = append(w.b, ' ')
	w.b = append(w.b, name...)
	w.b = append(w.b, '=', '"')
	w.n(v)
	w.b = append(w.b, '"')
	return w
}

// text writes s escaped for XML character data and attribute values,
// replacing invalid UTF-8 and characters XML forbids with U+FFFD.
func (w *svgWriter) text(s string) *svgWriter {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '&':
				w.b = append(w.b, "&amp;"...)
			case c == '<':
				w.b = append(w.b, "&lt;"...)
			case c == '>':
				w.b = append(w.b, "&gt;"...)
			case c == '"':
				w.b = append(w.b, "&quot;"...)
			case c == '\'':
				w.b = append(w.b, "&#39;"...)
			case c < 0x20 && c != '\t' && c != '\n':
				w.b = append(w.b, "\uFFFD"...)
			default:
				w.b = append(w.b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || r == 0xFFFE || r == 0xFFFF {
			w.b = append(w.b, "\uFFFD"...)
		} else {
			w.b = append(w.b, s[i:i+size]...)
		}
		i += size
	}
	return w
}
