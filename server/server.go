package server

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/yuin/goldmark"

	"callbacklab/internal/learn"
	"callbacklab/lessons"
	"callbacklab/server/diagram"
	"callbacklab/server/markdown"
)

// Config lists what the web app is built from.
type Config struct {
	// Logger receives one line per failed request and the app's own events. Nil discards.
	Logger *slog.Logger
	// Article holds the article's pages, NN-slug.md files with front matter at its root.
	Article fs.FS
	// Lessons are the lessons to show, in order.
	Lessons []lessons.Lesson
	// Extensions are extra goldmark extensions for every Markdown page. Fenced mermaid
	// sequence diagrams are always drawn as SVG.
	Extensions []goldmark.Extender
	// Progress is the learner's live test results for /progress and the lesson pages' status
	// box; nil when callbacklab runs without a lessons folder on disk.
	Progress *learn.Tracker
}

// Server is the web app. It is an [http.Handler].
type Server struct {
	log      *slog.Logger
	md       *markdown.Renderer
	tmpl     *templates
	static   map[string]*page     // by file name under /static/
	pages    map[string]*page     // by URL path
	lazy     map[string]*lazyPage // pages rendered on first request, by URL path
	streams  chan struct{}        // one token per open event stream
	article  []articlePage
	lessons  []lessonPage
	notFound *page
	progress *learn.Tracker
	router   chi.Router
}

// New renders every page and returns the web app.
func New(cfg Config) (*Server, error) {
	s := &Server{
		log: cfg.Logger,
		md: markdown.New(markdown.WithExtensions(
			append([]goldmark.Extender{&diagram.Extension{}}, cfg.Extensions...)...)),
		static:  map[string]*page{},
		pages:   map[string]*page{},
		lazy:    map[string]*lazyPage{},
		streams: make(chan struct{}, maxStreams),
	}
	s.progress = cfg.Progress
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}

	var err error
	if s.tmpl, err = parseTemplates(); err != nil {
		return nil, err
	}
	if err := s.loadStatic(); err != nil {
		return nil, err
	}
	if err := s.loadArticle(cfg.Article); err != nil {
		return nil, err
	}
	if err := s.loadLessons(cfg.Lessons); err != nil {
		return nil, err
	}
	if err := s.renderPages(); err != nil {
		return nil, err
	}
	s.router = s.routes()
	return s, nil
}

// ServeHTTP serves the web app.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.router.ServeHTTP(w, r)
}

// routes lists every route of the web app.
func (s *Server) routes() chi.Router {
	r := chi.NewRouter()
	r.Use(middleware.GetHead)
	r.Use(securityHeaders)
	r.NotFound(s.serveNotFound)
	r.MethodNotAllowed(s.serveMethodNotAllowed)

	r.Get("/", s.servePage)
	r.Get("/article", redirect("/article/"))
	r.Get("/article/", s.servePage)
	r.Get("/article/{slug}", s.servePage)
	r.Get("/lessons", redirect("/lessons/"))
	r.Get("/lessons/", s.servePage)
	r.Get("/lessons/{slug}", s.servePage)
	r.Get("/lessons/{slug}/files/*", s.servePage)
	r.Get("/static/{name}", s.serveStatic)
	r.Get("/diagrams", s.serveDiagrams)
	r.Get("/progress", s.serveProgress)
	r.With(s.limitStreams).Get("/progress/events", s.serveProgressEvents)
	r.Handle("/diagrams/render", diagram.RenderHandler(maxEditorBytes)) // one limit for all
	return r
}

// Handle adds a route to the web app for a part that is built outside the server package,
// such as the simulation's travel site. It must be called before the server is in use.
func (s *Server) Handle(pattern string, h http.Handler) {
	s.router.Handle(pattern, h)
}

func redirect(to string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, to, http.StatusMovedPermanently)
	}
}

// securityHeaders sets the headers every page of the app carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "SAMEORIGIN")
		next.ServeHTTP(w, r)
	})
}

// HTTPError is an error with the status code and the message a visitor sees. Err, when set,
// is logged and never shown.
type HTTPError struct {
	Code int
	Msg  string
	Err  error
}

func (e *HTTPError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%d %s: %v", e.Code, e.Msg, e.Err)
	}
	return fmt.Sprintf("%d %s", e.Code, e.Msg)
}

func (e *HTTPError) Unwrap() error { return e.Err }

// serveError writes the error page for err.
func (s *Server) serveError(w http.ResponseWriter, r *http.Request, err error) {
	var he *HTTPError
	if !errors.As(err, &he) {
		he = &HTTPError{Code: http.StatusInternalServerError,
			Msg: "Something went wrong on our side. Try again, and if it keeps happening, " +
				"restart callbacklab.", Err: err}
	}
	if he.Code >= 500 || he.Err != nil {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	body, rerr := s.tmpl.render("error", pageData{
		Title: http.StatusText(he.Code), Error: he.Msg, Code: he.Code,
	})
	if rerr != nil {
		http.Error(w, he.Msg, he.Code)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(he.Code)
	_, _ = w.Write(body)
}

// maxStreams bounds the event streams (live progress, live trace) open at once. A learner
// keeps a few open; the bound stops a client from holding connections without limit.
const maxStreams = 64

// limitStreams lets at most maxStreams event streams be open at once and answers 503 to the
// next one.
func (s *Server) limitStreams(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case s.streams <- struct{}{}:
			defer func() { <-s.streams }()
			next.ServeHTTP(w, r)
		default:
			w.Header().Set("Retry-After", "10")
			s.serveError(w, r, &HTTPError{Code: http.StatusServiceUnavailable,
				Msg: "Too many live pages are open at once. Close some tabs and reload."})
		}
	})
}

// serveMethodNotAllowed writes the 405 page, with the Allow header RFC 9110 asks for.
func (s *Server) serveMethodNotAllowed(w http.ResponseWriter, r *http.Request) {
	var allowed []string
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		if s.router.Match(chi.NewRouteContext(), m, r.URL.Path) {
			allowed = append(allowed, m)
		}
		if m == "GET" && len(allowed) > 0 {
			allowed = append(allowed, "HEAD") // answered by every GET route (middleware.GetHead)
		}
	}
	w.Header().Set("Allow", strings.Join(allowed, ", "))
	s.serveError(w, r, &HTTPError{Code: http.StatusMethodNotAllowed,
		Msg: fmt.Sprintf("This address does not take %s requests; it takes %s.",
			r.Method, strings.Join(allowed, " and "))})
}

// serveNotFound writes the friendly 404 page.
func (s *Server) serveNotFound(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNotFound)
	_, _ = w.Write(s.notFound.body)
}

// servePage serves a page rendered at start-up, by its URL path.
func (s *Server) servePage(w http.ResponseWriter, r *http.Request) {
	if p, ok := s.pages[r.URL.Path]; ok {
		p.serve(w, r)
		return
	}
	lp, ok := s.lazy[r.URL.Path]
	if !ok {
		s.serveNotFound(w, r)
		return
	}
	p, err := lp.get()
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	p.serve(w, r)
}

// serveStatic serves an embedded static asset.
func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request) {
	p, ok := s.static[chi.URLParam(r, "name")]
	if !ok {
		s.serveNotFound(w, r)
		return
	}
	p.serve(w, r)
}
