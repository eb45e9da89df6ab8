package diagram

import (
	"html"
	"strconv"
	"strings"
)

// ErrorPanel returns safe HTML that shows why a diagram could not be drawn:
// the position and message, and for a *[ParseError] the quoted line with a
// caret under the column. Pages show it in place of the diagram, so one bad
// diagram never takes a page down.
func ErrorPanel(err error) []byte {
	var b strings.Builder
	b.WriteString(`<div class="diagram-error" role="alert">`)
	b.WriteString(`<p class="diagram-error-title">This diagram could not be drawn: `)
	pe, ok := AsParseError(err)
	switch {
	case ok:
		b.WriteString("line " + strconv.Itoa(pe.Line) + ", column " + strconv.Itoa(pe.Col) +
			": " + html.EscapeString(pe.Msg) + ".</p>")
		b.WriteString(`<pre class="diagram-error-quote">`)
		b.WriteString(html.EscapeString(pe.Quote()))
		b.WriteString("</pre>")
	case err != nil:
		b.WriteString(html.EscapeString(err.Error()) + ".</p>")
	default:
		b.WriteString("unknown error.</p>")
	}
	b.WriteString("</div>\n")
	return []byte(b.String())
}
