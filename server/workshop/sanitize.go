package workshop

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxServerText caps, in characters, any text from the instructor's server that is shown to
// a learner.
const maxServerText = 300

// SafeText returns s, a string from an instructor's server, fit to print in a terminal: every
// control, formatting or other non-printable character (such as an escape code or a
// right-to-left override) is written as a Go escape ("\x1b", "\u202e"), invalid UTF-8 as
// "\xff", and the text is cut after 300 characters. A server a learner joins is not trusted
// to write to the learner's terminal.
func SafeText(s string) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(s); {
		if n >= maxServerText {
			b.WriteString("…")
			break
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteString(`\x` + strconv.FormatUint(uint64(s[i]), 16))
		case unicode.IsPrint(r) && r != '\\':
			b.WriteRune(r)
		case r == '\\':
			b.WriteString(`\\`)
		default:
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		}
		i += size
		n++
	}
	return b.String()
}

// lessonKey reports whether k is a lesson number as the protocol writes it: a decimal from 1
// to 99, without sign or leading zero.
func lessonKey(k string) bool {
	n, err := strconv.Atoi(k)
	return err == nil && n >= 1 && n <= 99 && strconv.Itoa(n) == k
}

// cleanUnlocks returns the unlocks of u whose lesson keys are well-formed, with the hint
// counts bounded, dropping the rest: a server's answer is not trusted.
func cleanUnlocks(u Unlocks) Unlocks {
	out := make(Unlocks, len(u))
	for k, v := range u {
		if !lessonKey(k) || v.Hints < 0 {
			continue
		}
		v.Hints = min(v.Hints, 99)
		out[k] = v
	}
	return out
}
