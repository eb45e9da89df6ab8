// Package markdown turns callbacklab's Markdown pages into HTML for the web app.
//
// It configures goldmark once with everything the article and the lessons use: YAML front
// matter (title, summary, order), GitHub-flavoured tables, heading anchors, syntax
// highlighting with CSS classes (so light and dark themes both work), and a rewrite of
// repository links into web routes. Raw HTML in the source is not passed through.
package markdown

import (
	"bytes"
	"fmt"
	"html/template"
	"regexp"
	"strings"

	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/yuin/goldmark"
	highlighting "github.com/yuin/goldmark-highlighting/v2"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"go.abhg.dev/goldmark/frontmatter"
)

// Doc is one rendered page.
type Doc struct {
	// Title, Summary and Order come from the front matter. When the page has no front matter
	// title, Title is its first level-one heading and that heading is left out of HTML.
	Title   string
	Summary string
	Order   int
	// HTML is the page's body, safe to place in a template.
	HTML template.HTML
	// TOC lists the level-two and level-three headings, in order.
	TOC []Heading
}

// Heading is one entry of a page's table of contents.
type Heading struct {
	Level int
	ID    string
	Text  string
}

// Renderer renders Markdown pages. It is safe for concurrent use.
type Renderer struct {
	md goldmark.Markdown
}

// Option configures a [Renderer].
type Option func(*config)

type config struct {
	extensions []goldmark.Extender
}

// WithExtensions adds goldmark extensions, such as the sequence diagram renderer. They are
// applied before syntax highlighting, so an extension can claim fenced blocks of its own.
func WithExtensions(exts ...goldmark.Extender) Option {
	return func(c *config) { c.extensions = append(c.extensions, exts...) }
}

// New returns a Renderer.
func New(opts ...Option) *Renderer {
	var c config
	for _, o := range opts {
		o(&c)
	}
	exts := append([]goldmark.Extender{
		extension.GFM,
		&frontmatter.Extender{},
	}, c.extensions...)
	exts = append(exts, highlighting.NewHighlighting(
		highlighting.WithGuessLanguage(false),
		highlighting.WithFormatOptions(chromahtml.WithClasses(true)),
	))
	md := goldmark.New(
		goldmark.WithExtensions(exts...),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithASTTransformers(util.Prioritized(linkRewriter{}, 500)),
		),
	)
	return &Renderer{md: md}
}

// RenderOption configures one call of [Renderer.Render].
type RenderOption func(parser.Context)

// resolverKey holds a page's link resolver in the parser's context.
var resolverKey = parser.NewContextKey()

// WithLinkResolver maps the relative links of one page that [RewriteLink] leaves alone, such
// as a lesson's link to its own exercise.go, to the web app's routes.
func WithLinkResolver(resolve func(dest string) string) RenderOption {
	return func(pc parser.Context) { pc.Set(resolverKey, resolve) }
}

// Render renders one page.
func (r *Renderer) Render(src []byte, opts ...RenderOption) (Doc, error) {
	ctx := parser.NewContext()
	for _, o := range opts {
		o(ctx)
	}
	root := r.md.Parser().Parse(text.NewReader(src), parser.WithContext(ctx))

	var doc Doc
	if fm := frontmatter.Get(ctx); fm != nil {
		var meta struct {
			Title   string `yaml:"title"`
			Summary string `yaml:"summary"`
			Order   int    `yaml:"order"`
		}
		if err := fm.Decode(&meta); err != nil {
			return Doc{}, fmt.Errorf("markdown: front matter: %w", err)
		}
		doc.Title, doc.Summary, doc.Order = meta.Title, meta.Summary, meta.Order
	}

	// Take the title from the first level-one heading when the front matter has none, and
	// collect the table of contents.
	var h1 ast.Node
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		h, ok := n.(*ast.Heading)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		label := plainText(h, src)
		switch {
		case h.Level == 1 && h1 == nil && doc.Title == "":
			h1, doc.Title = h, label
		case h.Level == 2 || h.Level == 3:
			id, _ := h.AttributeString("id")
			idText, _ := id.([]byte)
			doc.TOC = append(doc.TOC, Heading{Level: h.Level, ID: string(idText), Text: label})
		}
		return ast.WalkSkipChildren, nil
	})
	if h1 != nil {
		h1.Parent().RemoveChild(h1.Parent(), h1)
	}

	var buf bytes.Buffer
	if err := r.md.Renderer().Render(&buf, src, root); err != nil {
		return Doc{}, fmt.Errorf("markdown: %w", err)
	}
	doc.HTML = template.HTML(buf.String()) // goldmark escapes text and drops raw HTML.
	return doc, nil
}

// plainText returns the text of n and its children, without markup.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		case *ast.CodeSpan:
			for cc := t.FirstChild(); cc != nil; cc = cc.NextSibling() {
				if tx, ok := cc.(*ast.Text); ok {
					b.Write(tx.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

var (
	// lessonLink matches a relative link to a lesson folder or its README, from the article
	// ("../../lessons/02-callback-contract/") or from another lesson ("../02-x/README.md").
	lessonLink = regexp.MustCompile(`^(?:\.\./)*(?:lessons/)?` +
		`(\d\d-[a-z0-9-]+)/?(?:README\.md)?(#.*)?$`)
	// articleLink matches a relative link to an article page ("04-signing-in.md#state").
	articleLink = regexp.MustCompile(`^(?:\.\./)*(?:content/article/|article/)?` +
		`(\d\d-[a-z0-9-]+)\.md(#.*)?$`)
)

// RewriteLink maps a link written for GitHub (a relative file path in the repository) to the
// web app's route for the same page. Other links are returned unchanged.
func RewriteLink(dest string) string {
	if strings.Contains(dest, "://") || strings.HasPrefix(dest, "/") || strings.HasPrefix(dest, "#") {
		return dest
	}
	if m := articleLink.FindStringSubmatch(dest); m != nil {
		return "/article/" + m[1] + m[2]
	}
	if strings.HasSuffix(strings.TrimSuffix(dest, "/"), "content/article") {
		return "/article/"
	}
	if m := lessonLink.FindStringSubmatch(dest); m != nil {
		return "/lessons/" + m[1] + m[2]
	}
	return dest
}

// linkRewriter rewrites every link's destination with [RewriteLink], then with the page's
// own resolver, if it has one, for the links that are still relative.
type linkRewriter struct{}

func (linkRewriter) Transform(doc *ast.Document, _ text.Reader, pc parser.Context) {
	resolve, _ := pc.Get(resolverKey).(func(string) string)
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		l, ok := n.(*ast.Link)
		if !ok || !entering {
			return ast.WalkContinue, nil
		}
		dest := RewriteLink(string(l.Destination))
		if resolve != nil && isRelative(dest) {
			dest = resolve(dest)
		}
		l.Destination = []byte(dest)
		return ast.WalkContinue, nil
	})
}

// isRelative reports whether dest is a relative reference to another file.
func isRelative(dest string) bool {
	return dest != "" && !strings.Contains(dest, "://") && !strings.HasPrefix(dest, "/") &&
		!strings.HasPrefix(dest, "#") && !strings.HasPrefix(dest, "mailto:")
}
