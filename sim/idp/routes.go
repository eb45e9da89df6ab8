package idp

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

// routes lists every route of both providers.
func (s *Server) routes() http.Handler {
	r := chi.NewRouter()

	g := s.providers[Google]
	r.Route("/google", func(r chi.Router) {
		r.Get("/.well-known/openid-configuration", g.discovery)
		r.Get("/jwks", g.jwks)
		r.Get("/authorize", g.authorize)
		r.Post("/authorize", g.authorize)
		r.Get("/signin", g.signInPage)
		r.Post("/signin", g.signIn)
		r.Get("/consent", g.consentPage)
		r.Post("/consent", g.consent)
		r.HandleFunc("/token", g.token) // checks the method itself, to answer in JSON
		r.Get("/userinfo", g.userinfo)
		r.Post("/userinfo", g.userinfo)
		r.Get("/avatar/{initials}", g.avatar)
	})

	f := s.providers[Facebook]
	r.Route("/facebook", func(r chi.Router) {
		r.Get("/dialog/oauth", f.authorize)
		r.Get("/signin", f.signInPage)
		r.Post("/signin", f.signIn)
		r.Get("/consent", f.consentPage)
		r.Post("/consent", f.consent)
		r.HandleFunc("/oauth/access_token", f.token)
		r.Get("/me", f.profile)
		r.Get("/avatar/{initials}", f.avatar)
	})
	return r
}
