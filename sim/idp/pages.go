package idp

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
)

//go:embed templates/*.html
var templateFS embed.FS

// parsePages parses the embedded templates; html/template escapes
// everything they show.
func parsePages() *template.Template {
	return template.Must(template.ParseFS(templateFS, "templates/*.html"))
}

// page is what every template receives.
type page struct {
	Provider  string // "google" or "facebook", for the colours
	Label     string // "Google (mock)"
	Title     string
	Message   string
	Error     string
	Client    string
	TxnID     string
	CSRF      string
	Action    string
	Personas  []personaView
	User      personaView
	Scopes    []string
	SwitchURL string
}

// personaView is a persona as a page shows it.
type personaView struct {
	ID, Name, Email, Picture, Initials string
}

func (p *provider) view(u Persona) personaView {
	return personaView{
		ID: u.ID, Name: u.Name, Email: u.Email, Picture: p.pictureURL(u), Initials: u.Initials(),
	}
}

// render writes one of the provider's pages.
func (p *provider) render(w http.ResponseWriter, status int, name string, data page) {
	data.Provider, data.Label = p.name, p.label
	renderPage(w, p.pages, status, name, data)
}

// renderPage writes a page with headers that keep it out of frames and
// caches.
func renderPage(w http.ResponseWriter, pages *template.Template, status int, name string,
	data page) {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, data); err != nil {
		panic("idp: template " + name + ": " + err.Error()) // a bug in our own templates
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	// No form-action: browsers apply it to the redirect back to the client too.
	h.Set("Content-Security-Policy",
		"default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "+
			"frame-ancestors 'none'")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// renderError shows an error page. It is used when the browser must not be
// sent back to the client, such as for an unregistered redirect URI.
func (p *provider) renderError(w http.ResponseWriter, status int, title, message string) {
	p.render(w, status, "error.html", page{Title: title, Message: message})
}

// renderSignIn shows the persona picker and the custom-claims form.
func (p *provider) renderSignIn(w http.ResponseWriter, status int, pa pendingAuth, problem string) {
	views := make([]personaView, 0, len(p.personas))
	for _, u := range p.personas {
		views = append(views, p.view(u))
	}
	p.render(w, status, "signin.html", page{
		Title: "Sign in", Error: problem, Client: pa.req.client.displayName(),
		TxnID: pa.id, CSRF: pa.csrf, Action: p.issuer + "/signin", Personas: views,
	})
}

// renderConsent shows what the client asks for, with Allow and Decline.
func (p *provider) renderConsent(w http.ResponseWriter, pa pendingAuth, u Persona) {
	scopes := make([]string, 0, len(pa.req.scopes))
	for _, s := range pa.req.scopes {
		scopes = append(scopes, scopeText(s))
	}
	p.render(w, http.StatusOK, "consent.html", page{
		Title: "Allow access?", Client: pa.req.client.displayName(),
		TxnID: pa.id, CSRF: pa.csrf, Action: p.issuer + "/consent",
		User: p.view(u), Scopes: scopes, SwitchURL: p.issuer + "/signin?txn=" + pa.id,
	})
}

// scopeText explains a scope in words.
func scopeText(s string) string {
	switch s {
	case "openid":
		return "Know who you are (your user ID)"
	case "email":
		return "See your email address"
	case "profile", "public_profile":
		return "See your name and picture"
	}
	return s
}
