package diagram

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// namedEntities are the entity codes written "#name;" that text may use,
// besides the numeric ones ("#35;").
var namedEntities = map[string]string{
	"amp": "&", "lt": "<", "gt": ">", "quot": `"`, "apos": "'", "nbsp": "\u00a0",
	"semi": ";", "num": "#", "colon": ":", "copy": "©", "reg": "®", "hellip": "…",
	"mdash": "—", "ndash": "–", "rarr": "→", "larr": "←", "harr": "↔", "check": "✓",
	"times": "×", "deg": "°", "euro": "€", "hearts": "♥",
}

// decodeText turns diagram text into what is drawn: entity codes ("#59;",
// "#35;", "#quot;") become their characters and "<br>", "<br/>" and
// "<br />" (any case) become line breaks. Each line is trimmed.
func decodeText(s string) string {
	if !strings.ContainsAny(s, "#<") {
		return strings.TrimSpace(s)
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		switch s[i] {
		case '#':
			if n := entityLen(s[i:]); n > 0 {
				if r, ok := entityValue(s[i+1 : i+n-1]); ok {
					b.WriteString(r)
					i += n
					continue
				}
			}
		case '<':
			if n := brLen(s[i:]); n > 0 {
				b.WriteByte('\n')
				i += n
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return strings.Join(lines, "\n")
}

// entityValue returns the text an entity code's name stands for.
func entityValue(name string) (string, bool) {
	if name[0] >= '0' && name[0] <= '9' {
		n, err := strconv.ParseUint(name, 10, 32)
		if err != nil || !utf8.ValidRune(rune(n)) || n == 0 {
			return "\uFFFD", true
		}
		return string(rune(n)), true
	}
	v, ok := namedEntities[strings.ToLower(name)]
	return v, ok
}

// brLen returns the length of the "<br>" tag s starts with, or 0.
func brLen(s string) int {
	if len(s) < 4 || !strings.EqualFold(s[1:3], "br") {
		return 0
	}
	i := 3
	for i < len(s) && s[i] == ' ' {
		i++
	}
	if i < len(s) && s[i] == '/' {
		i++
	}
	if i < len(s) && s[i] == '>' {
		return i + 1
	}
	return 0
}

// splitLines splits decoded text into the lines drawn.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// cssColorNames lists the CSS named colours, each between spaces.
const cssColorNames = " aliceblue antiquewhite aqua aquamarine azure beige bisque black " +
	"blanchedalmond blue blueviolet brown burlywood cadetblue chartreuse chocolate coral " +
	"cornflowerblue cornsilk crimson cyan darkblue darkcyan darkgoldenrod darkgray darkgreen " +
	"darkgrey darkkhaki darkmagenta darkolivegreen darkorange darkorchid darkred darksalmon " +
	"darkseagreen darkslateblue darkslategray darkslategrey darkturquoise darkviolet deeppink " +
	"deepskyblue dimgray dimgrey dodgerblue firebrick floralwhite forestgreen fuchsia " +
	"gainsboro ghostwhite gold goldenrod gray green greenyellow grey honeydew hotpink " +
	"indianred indigo ivory khaki lavender lavenderblush lawngreen lemonchiffon lightblue " +
	"lightcoral lightcyan lightgoldenrodyellow lightgray lightgreen lightgrey lightpink " +
	"lightsalmon lightseagreen lightskyblue lightslategray lightslategrey lightsteelblue " +
	"lightyellow lime limegreen linen magenta maroon mediumaquamarine mediumblue " +
	"mediumorchid mediumpurple mediumseagreen mediumslateblue mediumspringgreen " +
	"mediumturquoise mediumvioletred midnightblue mintcream mistyrose moccasin navajowhite " +
	"navy oldlace olive olivedrab orange orangered orchid palegoldenrod palegreen " +
	"paleturquoise palevioletred papayawhip peachpuff peru pink plum powderblue purple " +
	"rebeccapurple red rosybrown royalblue saddlebrown salmon sandybrown seagreen seashell " +
	"sienna silver skyblue slateblue slategray slategrey snow springgreen steelblue tan teal " +
	"thistle tomato turquoise violet wheat white whitesmoke yellow yellowgreen transparent "

// cutColor splits a leading CSS colour from s the way Mermaid reads a box
// line: a functional colour ("rgb(1, 2, 3)", "hsla(...)") or a first word
// that names a colour or is a hex colour. It returns "" when s does not start
// with a colour.
func cutColor(s string) (color, rest string) {
	lower := strings.ToLower(s)
	for _, fn := range []string{"rgba(", "rgb(", "hsla(", "hsl("} {
		if !strings.HasPrefix(lower, fn) {
			continue
		}
		end := strings.IndexByte(s, ')')
		if end < 0 || !safeColorArgs(s[len(fn):end]) {
			return "", s
		}
		return lower[:end+1], strings.TrimSpace(s[end+1:])
	}
	word, after, _ := strings.Cut(s, " ")
	w := strings.ToLower(word)
	if isHexColor(w) || len(w) > 2 && strings.Contains(cssColorNames, " "+w+" ") {
		return w, strings.TrimSpace(after)
	}
	return "", s
}

// safeColorArgs reports whether the arguments of a colour function hold only
// numbers, separators and units, so the colour is safe to put in a style.
func safeColorArgs(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || strings.IndexByte(" ,.%/-degturn", c) >= 0) {
			return false
		}
	}
	return true
}

func isHexColor(s string) bool {
	if len(s) < 4 || s[0] != '#' {
		return false
	}
	switch len(s) - 1 {
	case 3, 4, 6, 8:
	default:
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
