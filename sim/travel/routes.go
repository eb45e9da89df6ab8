package travel

import (
	"embed"
	"io/fs"
	"net/http"

	"github.com/go-chi/chi/v5"
)

//go:embed static
var staticFS embed.FS

// routes lists every route of the site.
func (s *Site) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(securityHeaders)

	r.Get("/travel", s.handleForm)
	r.Post("/travel/book", s.handleBook)
	r.Get("/travel/bookings", s.handleBookings)
	r.Get("/travel/signin", s.handleChooser)
	r.Get("/travel/signin/{provider}", s.handleSignIn)
	r.Post("/travel/signout", s.handleSignOut)
	r.Get("/travel/events", s.handleEvents)
	static, _ := fs.Sub(staticFS, "static")
	r.Handle("/travel/static/*", http.StripPrefix("/travel/static/",
		http.FileServerFS(static)))
	r.Get("/auth/callback", s.handleAuthCallback)
	r.Post("/booking/callback", s.handleBookingCallback)
	return r
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
