package diagram

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzRender feeds arbitrary text to Parse and Render: neither may panic, a
// diagram that parses must render to well-formed XML, and time and output
// size must stay proportional to the input.
func FuzzRender(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.mmd"))
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		"sequenceDiagram\nA->>+B: x\nB-->>-A: y",
		"sequenceDiagram\nloop a\nalt b\nA->>B: c\nelse d\nend\nend",
		"sequenceDiagram\ncreate participant X\nA->>X: hi\ndestroy X\nX-xA: bye",
		"sequenceDiagram\naccDescr {\nx\n}\nNote over A,B: #35;#59;<br/>",
		"sequenceDiagram; box red x; participant A; end; A->>A: self",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 64<<10 {
			return
		}
		start := time.Now()
		d, err := Parse(src)
		if err != nil {
			if _, ok := AsParseError(err); !ok {
				t.Fatalf("Parse returned %T, want *ParseError: %v", err, err)
			}
			return
		}
		var buf bytes.Buffer
		if err := Render(d, &buf); err != nil {
			t.Fatalf("a diagram that parses should render: %v", err)
		}
		svg := buf.Bytes()
		if limit := 20_000 + 2_000*len(src); len(svg) > limit {
			t.Fatalf("SVG of %d bytes for %d bytes of input; want at most %d",
				len(svg), len(src), limit)
		}
		if el := time.Since(start); el > 2*time.Second {
			t.Fatalf("parsing and rendering %d bytes took %v", len(src), el)
		}
		requireWellFormed(t, svg)
	})
}
