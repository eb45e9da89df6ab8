package server

import (
	"html/template"
	"net/http"

	"callbacklab/server/diagram"
)

// maxEditorBytes bounds the text the live diagram editor sends for drawing.
const maxEditorBytes = 64 << 10

// editorSample is the diagram the editor opens with when the content has none.
const editorSample = `sequenceDiagram
    autonumber
    actor T as Traveller
    participant S as Travel site
    participant K as book_ticket
    T->>+S: Book a ticket
    S->>+K: POST /bookings (callback URL)
    K-->>-S: 202 pending
    S-->>-T: Booking pending
    K-)S: POST /booking/callback (signed)
`

// diagramsData is what the /diagrams page shows.
type diagramsData struct {
	Pages    []diagramsPage
	Sample   string
	MaxBytes int
	Count    int
}

// diagramsPage is one Markdown page with the diagrams it holds.
type diagramsPage struct {
	Title    string
	Href     string
	Diagrams []diagramEntry
}

// diagramEntry is one diagram: its Mermaid text and its drawing, or the
// error panel when the text has a mistake.
type diagramEntry struct {
	Source string
	SVG    template.HTML
}

// serveDiagrams serves /diagrams: every diagram of the article and the
// lessons, and the live editor.
func (s *Server) serveDiagrams(w http.ResponseWriter, r *http.Request) {
	data := diagramsData{Sample: editorSample, MaxBytes: maxEditorBytes}
	add := func(title, href string, src []byte) {
		p := diagramsPage{Title: title, Href: href}
		for _, d := range diagram.Sources(src) {
			svg, err := diagram.RenderSVG(d)
			if err != nil {
				svg = diagram.ErrorPanel(err)
			}
			// The renderer escapes all text and writes no scripts.
			p.Diagrams = append(p.Diagrams, diagramEntry{Source: string(d), SVG: template.HTML(svg)})
		}
		if len(p.Diagrams) > 0 {
			data.Pages = append(data.Pages, p)
			data.Count += len(p.Diagrams)
		}
	}
	for _, a := range s.article {
		add(a.Doc.Title, "/article/"+a.Slug, a.Src)
	}
	for _, l := range s.lessons {
		add(l.Doc.Title, "/lessons/"+l.Slug(), l.Lesson.README)
	}
	if len(data.Pages) > 0 {
		data.Sample = data.Pages[0].Diagrams[0].Source
	}

	body, err := s.tmpl.render("diagrams", pageData{
		Title:   "Diagrams",
		Summary: "Every sequence diagram of callbacklab, and an editor to draw your own.",
		Nav:     "diagrams",
		Data:    data,
	})
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(body)
}
