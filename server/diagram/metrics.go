package diagram

import "unicode/utf8"

//go:generate go run ./internal/genmetrics -o metrics_table.go

// advanceRange holds the advance widths of the runes first, first+1, ...
type advanceRange struct {
	first  rune
	widths []uint16
}

// fontFamily is the CSS font stack of every diagram. DejaVu Sans comes first
// because its metrics are the ones tabulated; Verdana and Bitstream Vera Sans
// share its proportions closely.
const fontFamily = `"DejaVu Sans", Verdana, "Bitstream Vera Sans", sans-serif`

// runeAdvance returns the advance width of r in DejaVu Sans font units. East
// Asian wide and fullwidth runes (and emoji) count as one em; combining marks
// count as nothing; runes the table does not hold count as the font's
// missing-glyph box.
func runeAdvance(r rune) int {
	for i := range advanceRanges {
		ar := &advanceRanges[i]
		if r >= ar.first && int(r-ar.first) < len(ar.widths) {
			if w := ar.widths[r-ar.first]; w != 0 {
				return int(w)
			}
			break
		}
	}
	switch {
	case isWide(r):
		return unitsPerEm
	case r >= 0x0300 && r <= 0x036F, r == 0x200B, r == 0x200D, r >= 0xFE00 && r <= 0xFE0F:
		return 0
	}
	return missingAdvance
}

// isWide reports whether r is East Asian wide or fullwidth, or an emoji.
func isWide(r rune) bool {
	switch {
	case r >= 0x1100 && r <= 0x115F, // Hangul Jamo
		r >= 0x2E80 && r <= 0x303E, // CJK radicals, punctuation
		r >= 0x3041 && r <= 0x33FF, // kana, CJK compatibility
		r >= 0x3400 && r <= 0x4DBF, // CJK extension A
		r >= 0x4E00 && r <= 0x9FFF, // CJK unified ideographs
		r >= 0xA000 && r <= 0xA4CF, // Yi
		r >= 0xAC00 && r <= 0xD7A3, // Hangul syllables
		r >= 0xF900 && r <= 0xFAFF, // CJK compatibility ideographs
		r >= 0xFE30 && r <= 0xFE4F, // CJK compatibility forms
		r >= 0xFF00 && r <= 0xFF60, // fullwidth forms
		r >= 0xFFE0 && r <= 0xFFE6,
		r >= 0x1F300 && r <= 0x1F64F, // pictographs, emoticons
		r >= 0x1F900 && r <= 0x1F9FF,
		r >= 0x20000 && r <= 0x3FFFD: // CJK extensions B and later
		return true
	}
	return false
}

// textWidth returns the width in pixels of s set in DejaVu Sans at size px.
func textWidth(s string, size float64) float64 {
	units := 0
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		units += runeAdvance(r)
		i += n
	}
	return float64(units) * size / unitsPerEm
}

// linesWidth returns the width of the widest of lines.
func linesWidth(lines []string, size float64) float64 {
	w := 0.0
	for _, l := range lines {
		w = max(w, textWidth(l, size))
	}
	return w
}
