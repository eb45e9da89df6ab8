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

// fieldView is one labelled input of the booking form. Every field is
// required; MaxLength and Pattern repeat the server's rules so that the
// browser can point at a mistake before anything is sent.
type fieldView struct {
	Name, Label, Type, Value, Error string
	MaxLength                       int
	Pattern, Hint                   string
}

// fieldRules are the browser-side hints for the form's inputs, the same
// limits as [booking.Request.Validate] and [checkForm] apply.
var fieldRules = map[string]struct {
	maxLength     int
	pattern, hint string
}{
	"name":  {maxLength: 100},
	"email": {maxLength: 254},
	"phone": {maxLength: 25, pattern: `\+?[0-9 \(\)\-]{6,25}`,
		hint: "6 to 15 digits, optionally with +, spaces, dashes or brackets"},
	"from": {maxLength: 60},
	"to":   {maxLength: 60},
	"date": {maxLength: 10},
	"time": {maxLength: 5},
}

func newField(name, label, typ, value string, errs map[string]string) fieldView {
	rule := fieldRules[name]
	return fieldView{Name: name, Label: label, Type: typ, Value: value, Error: errs[name],
		MaxLength: rule.maxLength, Pattern: rule.pattern, Hint: rule.hint}
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
