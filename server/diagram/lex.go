package diagram

import (
	"strings"
)

// stmt is one statement of a diagram's text: a line, or part of a line
// between semicolons, with its comment removed and its spaces trimmed.
type stmt struct {
	text string
	line int // 1-based line of text[0]
	off  int // byte offset of text[0] within its line
}

// scanner splits a diagram's text into statements. A semicolon ends a
// statement except inside an entity code such as "#59;"; "%%" starts a
// comment that runs to the end of the line; "accDescr {" opens a
// description that runs to the next "}" across lines.
type scanner struct {
	src       string
	pos       int // byte offset of the next unread byte
	line      int // line of pos
	lineStart int // byte offset of the start of that line
}

func newScanner(src string) *scanner {
	return &scanner{src: src, line: 1}
}

// next returns the next non-empty statement, or false at the end.
func (s *scanner) next() (stmt, bool) {
	for s.pos < len(s.src) {
		st, ok := s.scanOne()
		if ok {
			return st, true
		}
	}
	return stmt{}, false
}

// scanOne reads one statement, which may be empty.
func (s *scanner) scanOne() (stmt, bool) {
	start, line, lineStart := s.pos, s.line, s.lineStart
	if s.atBraceDescr() {
		return s.scanBraces(start, line, lineStart)
	}
	end := start
	for end < len(s.src) {
		c := s.src[end]
		if c == '\n' || c == ';' {
			break
		}
		if c == '%' && strings.HasPrefix(s.src[end:], "%%") {
			break
		}
		if c == '#' {
			if n := entityLen(s.src[end:]); n > 0 {
				end += n
				continue
			}
		}
		end++
	}
	text := s.src[start:end]

	// Move past the terminator; a comment runs to the end of its line.
	s.pos = end
	if s.pos < len(s.src) && s.src[s.pos] == '%' {
		if nl := strings.IndexByte(s.src[s.pos:], '\n'); nl >= 0 {
			s.pos += nl
		} else {
			s.pos = len(s.src)
		}
	}
	if s.pos < len(s.src) {
		if s.src[s.pos] == '\n' {
			s.line++
			s.lineStart = s.pos + 1
		}
		s.pos++
	}
	return trimStmt(text, line, start-lineStart)
}

// trimStmt trims spaces from text and reports whether anything is left.
func trimStmt(text string, line, off int) (stmt, bool) {
	trimmed := strings.TrimLeft(text, " \t\r\f\v")
	off += len(text) - len(trimmed)
	trimmed = strings.TrimRight(trimmed, " \t\r\f\v")
	return stmt{text: trimmed, line: line, off: off}, trimmed != ""
}

// atBraceDescr reports whether the statement at pos is "accDescr {".
func (s *scanner) atBraceDescr() bool {
	rest := strings.TrimLeft(s.src[s.pos:], " \t")
	if len(rest) < len("accDescr") || !strings.EqualFold(rest[:8], "accDescr") {
		return false
	}
	rest = strings.TrimLeft(rest[8:], " \t")
	return strings.HasPrefix(rest, "{")
}

// scanBraces reads "accDescr { ... }" as one statement, newlines included.
// Without a closing brace the statement runs to the end of the text, and
// the parser reports it.
func (s *scanner) scanBraces(start, line, lineStart int) (stmt, bool) {
	end := strings.IndexByte(s.src[start:], '}')
	if end < 0 {
		end = len(s.src)
	} else {
		end += start + 1
	}
	text := s.src[start:end]
	for i := start; i < end; i++ {
		if s.src[i] == '\n' {
			s.line++
			s.lineStart = i + 1
		}
	}
	s.pos = end
	return trimStmt(text, line, start-lineStart)
}

// entityLen returns the length of the entity code ("#35;", "#quot;") that s
// starts with, or 0.
func entityLen(s string) int {
	i := 1
	for i < len(s) && i < 12 && isWordByte(s[i]) {
		i++
	}
	if i > 1 && i < len(s) && s[i] == ';' {
		return i + 1
	}
	return 0
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// cutWord splits the leading keyword-like word (letters and underscores)
// from s. The word counts only when followed by the end, a space or, if
// colonOK, a colon; otherwise word is empty.
func cutWord(s string, colonOK bool) (word, rest string) {
	i := 0
	for i < len(s) && (s[i] == '_' || s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z') {
		i++
	}
	if i == 0 {
		return "", s
	}
	if i < len(s) && s[i] != ' ' && s[i] != '\t' && !(colonOK && s[i] == ':') {
		return "", s
	}
	return strings.ToLower(s[:i]), s[i:]
}
