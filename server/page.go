package server

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

// page is a response prepared at start-up: its bytes, their type and a strong ETag.
type page struct {
	body        []byte
	contentType string
	etag        string
	cache       string // Cache-Control
}

func newPage(body []byte, contentType, cache string) *page {
	sum := sha256.Sum256(body)
	return &page{
		body:        body,
		contentType: contentType,
		etag:        `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`,
		cache:       cache,
	}
}

// serve writes the page, or 304 Not Modified when the client already has these bytes.
func (p *page) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("ETag", p.etag)
	h.Set("Cache-Control", p.cache)
	if etagMatch(r.Header.Get("If-None-Match"), p.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", p.contentType)
	h.Set("Content-Length", fmt.Sprint(len(p.body)))
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(p.body)
}

// etagMatch reports whether an If-None-Match header lists etag (weak comparison, RFC 9110
// section 13.1.2).
func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// templates holds one parsed template set per page kind, each with the shared layout.
type templates struct {
	sets map[string]*template.Template
}

// pageData is what every page template receives.
type pageData struct {
	Title   string
	Summary string
	Nav     string // which top navigation entry is current
	Body    template.HTML
	TOC     []tocEntry
	Prev    *link
	Next    *link
	Error   string
	Code    int
	Live    bool // the page shows the learner's live test results
	Data    any  // page-specific data
}

type link struct {
	Href  string
	Title string
}

type tocEntry struct {
	Level int
	ID    string
	Text  string
}

func parseTemplates() (*templates, error) {
	layout, err := template.ParseFS(templateFiles, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("server: layout template: %w", err)
	}
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	t := &templates{sets: map[string]*template.Template{}}
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".html")
		if name == "layout" {
			continue
		}
		set, err := template.Must(layout.Clone()).ParseFS(templateFiles, n)
		if err != nil {
			return nil, fmt.Errorf("server: template %s: %w", name, err)
		}
		t.sets[name] = set
	}
	return t, nil
}

// render executes the page template name inside the layout.
func (t *templates) render(name string, data pageData) ([]byte, error) {
	set, ok := t.sets[name]
	if !ok {
		return nil, fmt.Errorf("server: no template %q", name)
	}
	var buf bytes.Buffer
	if err := set.ExecuteTemplate(&buf, "layout", data); err != nil {
		return nil, fmt.Errorf("server: template %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

// loadStatic prepares every embedded static asset, and the syntax highlighting style sheet.
func (s *Server) loadStatic() error {
	err := fs.WalkDir(staticFiles, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(staticFiles, p)
		if err != nil {
			return err
		}
		ct := mime.TypeByExtension(path.Ext(p))
		if ct == "" {
			ct = "application/octet-stream"
		}
		s.static[path.Base(p)] = newPage(b, ct, "public, max-age=300")
		return nil
	})
	if err != nil {
		return fmt.Errorf("server: static assets: %w", err)
	}
	css, err := highlightCSS()
	if err != nil {
		return err
	}
	s.static["highlight.css"] = newPage(css, "text/css; charset=utf-8", "public, max-age=300")
	return nil
}
