package travel

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
)

//go:embed static
var staticFS embed.FS

// routes lists every route of the site.
func (s *Site) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(securityHeaders, s.guard, headAsGet)
	r.NotFound(s.notFound)
	r.MethodNotAllowed(s.methodNotAllowed)

	r.Get("/travel", s.handleForm)
	r.Post("/travel/book", s.handleBook)
	r.Get("/travel/bookings", s.handleBookings)
	r.Get("/travel/signin", s.handleChooser)
	r.Get("/travel/signin/{provider}", s.handleSignIn)
	r.Post("/travel/signout", s.handleSignOut)
	r.Get("/travel/events", s.handleEvents)
	static, _ := fs.Sub(staticFS, "static")
	r.Get("/travel/static/*", s.serveStatic(static))
	r.Get("/auth/callback", s.handleAuthCallback)
	r.Post("/booking/callback", s.handleBookingCallback)
	s.mux = r
	return r
}

// headAsGet serves HEAD requests with the GET route of their path; the
// server drops the body. (chi's middleware.GetHead asks the router found in
// the request context, which is the web app's, not this site's, when the
// site is mounted inside another chi router.)
func headAsGet(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			if rctx := chi.RouteContext(r.Context()); rctx != nil {
				rctx.RouteMethod = http.MethodGet
			}
		}
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets headers every answer of the site carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "+
			"frame-ancestors 'self'")
		next.ServeHTTP(w, r)
	})
}

// serveStatic serves the page's script and style; a directory is not found,
// never listed.
func (s *Site) serveStatic(files fs.FS) http.HandlerFunc {
	server := http.FileServerFS(files)
	return func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/travel/static/")
		if st, err := fs.Stat(files, name); err != nil || st.IsDir() || name == "" {
			s.notFound(w, r)
			return
		}
		http.StripPrefix("/travel/static/", server).ServeHTTP(w, r)
	}
}

// notFound is the site's friendly 404 page.
func (s *Site) notFound(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, http.StatusNotFound, "Page not found",
		"Callback Travel has no page at "+clipText(r.URL.Path, 80)+
			". Start again from the booking form.")
}

// methodNotAllowed is the site's friendly 405 page, with the Allow header
// naming the methods the path takes.
func (s *Site) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost} {
		probe := m
		if m == http.MethodHead {
			probe = http.MethodGet // served by middleware.GetHead
		}
		if s.mux.Match(chi.NewRouteContext(), probe, r.URL.Path) {
			allow = append(allow, m)
		}
	}
	w.Header().Set("Allow", strings.Join(allow, ", "))
	s.fail(w, r, http.StatusMethodNotAllowed, "Method not allowed",
		"This address does not take "+clipText(r.Method, 20)+" requests. Use the links "+
			"and buttons of the site.")
}
