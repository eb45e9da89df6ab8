package lessonproof

import (
	"bytes"
	"regexp"
	"strings"
)

// A Block is one fenced code block of a Markdown page.
type Block struct {
	// Lang is the info string's first word, such as "go" or "mermaid".
	Lang string
	// Line is the 1-based line of the opening fence.
	Line int
	// Code is the block's content, each line ending in a newline.
	Code string
	// From is the path named by an HTML comment `<!-- from: PATH -->` on the last non-blank
	// line before the fence, or "" when there is none.
	From string
}

var fromComment = regexp.MustCompile(`^<!--\s*from:\s*(\S+)\s*-->$`)

// Blocks returns the fenced code blocks of a Markdown page, in order. It knows backtick and
// tilde fences of three or more characters, indented by at most three spaces; an unclosed
// block runs to the end of the page.
func Blocks(src []byte) []Block {
	lines := strings.Split(string(bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))), "\n")
	var (
		blocks   []Block
		cur      *Block
		marker   string
		indent   int
		lastText string // the last non-blank line outside code blocks
		code     strings.Builder
	)
	for i, line := range lines {
		if cur == nil {
			m, ind, info, ok := openFence(line)
			if !ok {
				if strings.TrimSpace(line) != "" {
					lastText = strings.TrimSpace(line)
				}
				continue
			}
			cur = &Block{Lang: firstWord(info), Line: i + 1}
			if f := fromComment.FindStringSubmatch(lastText); f != nil {
				cur.From = f[1]
			}
			marker, indent = m, ind
			code.Reset()
			continue
		}
		if closesFence(line, marker) {
			cur.Code = code.String()
			blocks = append(blocks, *cur)
			cur, lastText = nil, ""
			continue
		}
		code.WriteString(dedent(line, indent) + "\n")
	}
	if cur != nil {
		cur.Code = code.String()
		blocks = append(blocks, *cur)
	}
	return blocks
}

// openFence reports whether line opens a fenced block, with its marker, indent and info string.
func openFence(line string) (marker string, indent int, info string, ok bool) {
	trimmed := strings.TrimLeft(line, " ")
	indent = len(line) - len(trimmed)
	if indent > 3 {
		return "", 0, "", false
	}
	for _, c := range []byte{'`', '~'} {
		n := 0
		for n < len(trimmed) && trimmed[n] == c {
			n++
		}
		if n < 3 {
			continue
		}
		info = strings.TrimSpace(trimmed[n:])
		if c == '`' && strings.Contains(info, "`") {
			return "", 0, "", false
		}
		return trimmed[:n], indent, info, true
	}
	return "", 0, "", false
}

// closesFence reports whether line closes a block opened with marker.
func closesFence(line, marker string) bool {
	trimmed := strings.TrimLeft(line, " ")
	if len(line)-len(trimmed) > 3 {
		return false
	}
	rest := strings.TrimLeft(trimmed, marker[:1])
	return len(trimmed)-len(rest) >= len(marker) && strings.TrimSpace(rest) == ""
}

// dedent removes up to n leading spaces, as CommonMark does for an indented fence's content.
func dedent(line string, n int) string {
	for n > 0 && strings.HasPrefix(line, " ") {
		line, n = line[1:], n-1
	}
	return line
}

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}

// Snippet turns a Go block that is not quoted from a file into a compilable file: a block
// that starts with a package clause is returned as it is; any other block gets
// "package snippet" in front. It reports whether the package is main.
func Snippet(code string) (file string, isMain bool) {
	for _, line := range strings.Split(code, "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "//") {
			continue
		}
		if name, ok := strings.CutPrefix(trimmed, "package "); ok {
			return code, strings.TrimSpace(name) == "main"
		}
		break
	}
	return "package snippet\n\n" + code, false
}

// Headings returns the ATX headings of a Markdown page outside code blocks, such as
// "## The task", with trailing spaces and closing #s removed.
func Headings(src []byte) []string {
	var out []string
	for _, line := range prose(src) {
		if !strings.HasPrefix(line, "#") {
			continue
		}
		level := len(line) - len(strings.TrimLeft(line, "#"))
		if level > 6 || (len(line) > level && line[level] != ' ') {
			continue
		}
		text := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(line[level:]), "#"))
		out = append(out, line[:level]+" "+text)
	}
	return out
}

var inlineLink = regexp.MustCompile(`\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)

// Links returns the targets of the inline links and images of a Markdown page outside code
// blocks and code spans.
func Links(src []byte) []string {
	var out []string
	for _, line := range prose(src) {
		line = codeSpan.ReplaceAllString(line, "")
		for _, m := range inlineLink.FindAllStringSubmatch(line, -1) {
			out = append(out, m[1])
		}
	}
	return out
}

var codeSpan = regexp.MustCompile("`[^`]*`")

// prose returns the lines of a Markdown page that are outside fenced code blocks.
func prose(src []byte) []string {
	var (
		out    []string
		marker string
	)
	text := string(bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n")))
	for _, line := range strings.Split(text, "\n") {
		if marker != "" {
			if closesFence(line, marker) {
				marker = ""
			}
			continue
		}
		if m, _, _, ok := openFence(line); ok {
			marker = m
			continue
		}
		out = append(out, line)
	}
	return out
}
