package diagram

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	gmparser "github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// KindDiagram is the goldmark node kind of a sequence diagram block.
var KindDiagram = ast.NewNodeKind("SequenceDiagram")

// KindDiagramNote is the goldmark node kind of the note that follows a
// Mermaid block callbacklab does not draw.
var KindDiagramNote = ast.NewNodeKind("SequenceDiagramNote")

// DiagramNode is a fenced mermaid block holding a sequence diagram. The
// [Extension] puts it in place of the fenced code block, so code
// highlighters never see it.
type DiagramNode struct {
	ast.BaseBlock
	Source []byte // the Mermaid text
}

// Kind returns [KindDiagram].
func (n *DiagramNode) Kind() ast.NodeKind { return KindDiagram }

// Dump prints the node for goldmark's debugging output.
func (n *DiagramNode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Source": string(n.Source)}, nil)
}

// noteNode follows a Mermaid block of a kind other than sequenceDiagram.
type noteNode struct{ ast.BaseBlock }

func (n *noteNode) Kind() ast.NodeKind { return KindDiagramNote }

func (n *noteNode) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// Extension is a goldmark extension that draws fenced code blocks whose info
// string is "mermaid" and whose text is a sequenceDiagram as inline SVG,
// inside <figure class="diagram">. A diagram with mistakes is shown as an
// [ErrorPanel]. Other Mermaid diagrams stay code, followed by a short note.
//
//	md := goldmark.New(goldmark.WithExtensions(&diagram.Extension{}))
type Extension struct{}

// Extend adds the extension's transformer and renderer to m.
func (e *Extension) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(gmparser.WithASTTransformers(util.Prioritized(transformer{}, 500)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(nodeRenderer{}, 500)))
}

// transformer replaces fenced mermaid sequence diagrams by DiagramNodes.
type transformer struct{}

func (transformer) Transform(doc *ast.Document, reader text.Reader, _ gmparser.Context) {
	src := reader.Source()
	var blocks []*ast.FencedCodeBlock
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if fb, ok := n.(*ast.FencedCodeBlock); ok && entering && isMermaid(fb, src) {
			blocks = append(blocks, fb)
		}
		return ast.WalkContinue, nil
	})
	for _, fb := range blocks {
		body := blockText(fb, src)
		parent := fb.Parent()
		if !IsSequenceDiagram(body) {
			parent.InsertAfter(parent, fb, &noteNode{})
			continue
		}
		parent.ReplaceChild(parent, fb, &DiagramNode{Source: body})
	}
}

func isMermaid(fb *ast.FencedCodeBlock, src []byte) bool {
	return strings.EqualFold(string(fb.Language(src)), "mermaid")
}

func blockText(fb *ast.FencedCodeBlock, src []byte) []byte {
	var b bytes.Buffer
	lines := fb.Lines()
	for i := range lines.Len() {
		seg := lines.At(i)
		b.Write(seg.Value(src))
	}
	return b.Bytes()
}

// IsSequenceDiagram reports whether Mermaid text declares a sequenceDiagram:
// its first line that is not blank, a comment or front matter says so.
func IsSequenceDiagram(src []byte) bool {
	inFront := false
	for i, line := range strings.Split(string(src), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "---" && (i == 0 || inFront):
			inFront = !inFront
		case inFront, line == "", strings.HasPrefix(line, "%%"):
		default:
			word, _ := cutWord(line, false)
			if word == "" {
				word, _ = cutWord(strings.SplitN(line, ";", 2)[0], false)
			}
			return word == "sequencediagram"
		}
	}
	return false
}

// nodeRenderer writes DiagramNodes and notes as HTML.
type nodeRenderer struct{}

func (nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindDiagram, renderDiagram)
	reg.Register(KindDiagramNote, renderNote)
}

func renderDiagram(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	w.WriteString(`<figure class="diagram">` + "\n")
	svg, err := RenderSVG(n.(*DiagramNode).Source)
	if err != nil {
		w.Write(ErrorPanel(err))
	} else {
		w.Write(svg)
	}
	w.WriteString("</figure>\n")
	return ast.WalkSkipChildren, nil
}

func renderNote(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		w.WriteString(`<p class="diagram-note">callbacklab draws only sequenceDiagram; ` +
			"this block is shown as text.</p>\n")
	}
	return ast.WalkSkipChildren, nil
}

// Sources returns the text of every fenced mermaid sequence diagram in a
// Markdown document, in order, so a page can list the diagrams of the
// content.
func Sources(markdown []byte) [][]byte {
	doc := goldmark.DefaultParser().Parse(text.NewReader(markdown))
	var out [][]byte
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		fb, ok := n.(*ast.FencedCodeBlock)
		if !ok || !entering || !isMermaid(fb, markdown) {
			return ast.WalkContinue, nil
		}
		if body := blockText(fb, markdown); IsSequenceDiagram(body) {
			out = append(out, body)
		}
		return ast.WalkSkipChildren, nil
	})
	return out
}
