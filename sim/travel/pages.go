package travel

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"

	"callbacklab/sim/booking"
)

//go:embed templates/*.html
var templateFS embed.FS

// parsePages parses the embedded templates; a broken template is a
// programming mistake.
func parsePages() *template.Template {
	funcs := template.FuncMap{"field": newField}
	return template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/*.html"))
}

// fieldView is one labelled input of the booking form.
type fieldView struct {
	Name, Label, Type, Value, Error string
}

func newField(name, label, typ, value string, errs map[string]string) fieldView {
	return fieldView{Name: name, Label: label, Type: typ, Value: value, Error: errs[name]}
}

// pageData is what every page template may use.
type pageData struct {
	Title     string
	User      *User
	Providers []Provider
	Resume    bool

	Form        booking.Request
	Errors      map[string]string
	TicketTypes []string
	Notice      string
	Problem     string
	Booked      *Booking
	Bookings    []Booking

	Message string // the error page's explanation
}

// render writes a page, adding the signed-in user.
func (s *Site) render(w http.ResponseWriter, r *http.Request, status int, name string,
	data pageData) {
	if u, ok := s.user(r); ok {
		data.User = &u
	}
	data.TicketTypes = booking.TicketTypes()
	var buf bytes.Buffer
	if err := s.pages.ExecuteTemplate(&buf, name, data); err != nil {
		http.Error(w, "travel: the page could not be drawn", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// fail shows an error page that says what happened and what to do next.
func (s *Site) fail(w http.ResponseWriter, r *http.Request, status int, title, msg string) {
	s.render(w, r, status, "error.html", pageData{Title: title, Message: msg})
}
