package idp

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
)

// routes lists every route of both providers.
func (s *Server) routes() http.Handler {
	r := chi.NewRouter()
	r.NotFound(s.rootNotFound)

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
		g.handleRouteErrors(r)
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
		f.handleRouteErrors(r)
	})
	return r
}

// handleRouteErrors answers unknown paths (404) and known paths asked with
// the wrong method (405) in the provider's own manner: its friendly HTML page
// for the routes a browser opens, JSON in the provider's style for the API.
func (p *provider) handleRouteErrors(r chi.Router) {
	r.NotFound(func(w http.ResponseWriter, req *http.Request) {
		if wantsHTML(req) {
			p.renderError(w, http.StatusNotFound, "Page not found.",
				"There is no page at this address at "+p.label+". Go back to the site and "+
					"start the sign-in again.")
			return
		}
		p.writeNotFound(w, req)
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, req *http.Request) {
		allow := allowedMethods(r, chi.RouteContext(req.Context()).RoutePath)
		w.Header().Set("Allow", allow)
		if p.isBrowserRoute(req) {
			p.renderError(w, http.StatusMethodNotAllowed, "This page cannot be used that way.",
				"The request used "+req.Method+"; this page accepts "+allow+". "+
					"Go back to the site and start the sign-in again.")
			return
		}
		writeMethodNotAllowed(w, allow)
	})
}

// writeNotFound answers an unknown API path with JSON: an OAuth-style error
// for Google (mock), a Graph API error object for Facebook (mock).
func (p *provider) writeNotFound(w http.ResponseWriter, r *http.Request) {
	if !p.oidc {
		writeJSON(w, http.StatusNotFound, "application/json", map[string]any{
			"error": map[string]any{
				"message": "Unknown path components: " + quote(r.URL.Path),
				"type":    "OAuthException", "code": 2500,
			},
		})
		return
	}
	writeJSON(w, http.StatusNotFound, "application/json", map[string]string{
		"error": "not_found",
		"error_description": "nothing is served at " + quote(r.URL.Path) +
			"; the endpoints are listed at " + p.issuer + "/.well-known/openid-configuration",
	})
}

// isBrowserRoute reports whether a path is one a browser opens (the
// authorization endpoint, the sign-in and consent pages, the pictures)
// rather than one a client program calls.
func (p *provider) isBrowserRoute(r *http.Request) bool {
	path := chi.RouteContext(r.Context()).RoutePath
	for _, prefix := range []string{p.paths.authorize, "/signin", "/consent", "/avatar/"} {
		if path == prefix || strings.HasSuffix(prefix, "/") && strings.HasPrefix(path, prefix) {
			return true
		}
	}
	return false
}

// rootNotFound answers paths outside both providers.
func (s *Server) rootNotFound(w http.ResponseWriter, r *http.Request) {
	const msg = "no mock identity provider is served here; " +
		"they live below /google/ and /facebook/"
	if wantsHTML(r) {
		renderPage(w, s.pages, http.StatusNotFound, "error.html", page{
			Label: "Identity providers (mock)", Title: "Page not found.",
			Message: "No mock identity provider is served at this address. " +
				"Google (mock) lives below /google/ and Facebook (mock) below /facebook/.",
		})
		return
	}
	writeJSON(w, http.StatusNotFound, "application/json", map[string]string{
		"error": "not_found", "error_description": msg,
	})
}

// wantsHTML reports whether the request comes from a browser navigating to
// a page, judged by its Accept header.
func wantsHTML(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}

// allowedMethods lists the methods router serves at path, for an Allow
// header.
func allowedMethods(router chi.Routes, path string) string {
	var allowed []string
	for _, m := range []string{
		http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions,
	} {
		if router.Match(chi.NewRouteContext(), m, path) {
			allowed = append(allowed, m)
		}
	}
	return strings.Join(allowed, ", ")
}
