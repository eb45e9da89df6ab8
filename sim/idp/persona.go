package idp

import (
	"fmt"
	"hash/fnv"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"
)

// Persona is a user one can sign in as.
type Persona struct {
	// ID names the persona on the sign-in form, such as "alice".
	ID string

	// Subject is the stable user identifier, the sub claim (Google) or the
	// id field (Facebook).
	Subject string

	// Name, GivenName, FamilyName, Email and EmailVerified become the claims
	// name, given_name, family_name, email and email_verified.
	Name          string
	GivenName     string
	FamilyName    string
	Email         string
	EmailVerified bool
}

// DefaultPersonas returns the built-in personas.
func DefaultPersonas() []Persona {
	return []Persona{
		{ID: "alice", Subject: "104729000000000001", Name: "Alice Martin",
			GivenName: "Alice", FamilyName: "Martin",
			Email: "alice@example.com", EmailVerified: true},
		{ID: "bob", Subject: "104729000000000002", Name: "Bob Okafor",
			GivenName: "Bob", FamilyName: "Okafor",
			Email: "bob@example.org", EmailVerified: true},
		{ID: "chen", Subject: "104729000000000003", Name: "Chen Wei",
			GivenName: "Wei", FamilyName: "Chen",
			Email: "chen.wei@example.net", EmailVerified: false},
	}
}

// Initials returns up to two capital letters for the persona's picture.
func (u Persona) Initials() string {
	var b strings.Builder
	for _, word := range strings.Fields(u.Name) {
		r, _ := utf8.DecodeRuneInString(word)
		if unicode.IsLetter(r) && b.Len() < 8 {
			b.WriteRune(unicode.ToUpper(r))
		}
		if utf8.RuneCountInString(b.String()) == 2 {
			break
		}
	}
	if b.Len() == 0 {
		return "U"
	}
	return b.String()
}

// pictureURL is where the provider draws the persona's initials.
func (p *provider) pictureURL(u Persona) string {
	return p.issuer + "/avatar/" + urlPathEscape(u.Initials()) + ".svg"
}

func urlPathEscape(s string) string {
	return strings.NewReplacer("%", "%25", "/", "%2F", "?", "%3F", "#", "%23").Replace(s)
}

// avatar draws initials as an SVG picture, in a colour derived from them.
func (p *provider) avatar(w http.ResponseWriter, r *http.Request) {
	initials := strings.TrimSuffix(chi.URLParam(r, "initials"), ".svg")
	if n := utf8.RuneCountInString(initials); n == 0 || n > 2 || !allLetters(initials) {
		p.renderError(w, http.StatusNotFound, "Picture not found.",
			"Pictures are one or two letters, like /avatar/AM.svg.")
		return
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(initials))
	hue := h.Sum32() % 360

	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	// The initials are letters only, checked above, so they need no escaping.
	_, _ = fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" `+
		`viewBox="0 0 96 96"><circle cx="48" cy="48" r="48" fill="hsl(%d,55%%,45%%)"/>`+
		`<text x="48" y="60" font-family="sans-serif" font-size="36" fill="#fff" `+
		`text-anchor="middle">%s</text></svg>`, hue, initials)
}

func allLetters(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}
