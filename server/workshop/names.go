package workshop

import (
	"regexp"
	"strings"
	"unicode"
)

// autoSuffix matches the " (2)" the room adds to a name already taken.
var autoSuffix = regexp.MustCompile(` \([0-9]+\)$`)

// nameKey returns the form of a name that two names which read alike share: case-folded,
// with runs of spaces made one.
//
// TODO: Normalize names to NFC too, once golang.org/x/text is a dependency; until then "é"
// typed as one character and as "e" plus an accent are two names.
func nameKey(name string) string {
	name = strings.Join(strings.Fields(name), " ")
	return strings.Map(func(r rune) rune {
		// The smallest rune of r's case-folding orbit stands for the whole orbit.
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			m = min(m, f)
		}
		return m
	}, name)
}
