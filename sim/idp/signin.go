package idp

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/mail"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxPageFormBytes bounds the body of the sign-in and consent forms. The
// largest honest one, the custom-claims form, is well under 4 KiB even with
// every character percent-encoded.
const maxPageFormBytes = 16 << 10

// readPageForm parses the body of a sign-in or consent form: URL-encoded
// only, bounded in size, each field at most once. Multipart bodies are
// refused rather than parsed, because parsing them can leave temporary files
// behind. On failure it shows an error page and returns false.
func (p *provider) readPageForm(w http.ResponseWriter, r *http.Request) (url.Values, bool) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/x-www-form-urlencoded" {
		p.renderError(w, http.StatusUnsupportedMediaType, "The form was sent in a format "+
			"this page does not read.", "Send it from the page, as a normal HTML form "+
			"(application/x-www-form-urlencoded). Go back to the site and start again.")
		return nil, false
	}

	r.Body = http.MaxBytesReader(w, r.Body, maxPageFormBytes)
	err := r.ParseForm()
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		p.renderError(w, http.StatusRequestEntityTooLarge, "The form is too large.",
			fmt.Sprintf("This form takes at most %d KiB; yours was larger. Shorten what you "+
				"typed, or go back to the site and start again.", maxPageFormBytes>>10))
		return nil, false
	}
	if err != nil {
		p.renderError(w, http.StatusBadRequest, "The form could not be read.",
			"Its fields are not valid URL encoding. Go back to the site and start again.")
		return nil, false
	}

	for name, vs := range r.PostForm { // the body alone, never the query
		if len(vs) > 1 {
			p.renderError(w, http.StatusBadRequest, "The form could not be read.",
				"The field "+quote(name)+" was sent more than once. "+
					"Go back to the site and start again.")
			return nil, false
		}
	}
	return r.PostForm, true
}

// pendingFromForm finds the pending request a page's form belongs to and
// checks its CSRF token.
func (p *provider) pendingFromForm(w http.ResponseWriter, form url.Values) (pendingAuth, bool) {
	pa, ok := p.lookupPending(form.Get("txn"))
	if !ok {
		p.renderError(w, http.StatusBadRequest, "This sign-in has expired.",
			"Sign-in requests last 10 minutes and work once. Go back to the site and start again.")
		return pendingAuth{}, false
	}
	if subtle.ConstantTimeCompare([]byte(form.Get("csrf")), []byte(pa.csrf)) != 1 {
		p.renderError(w, http.StatusForbidden, "This form was not sent from this page.",
			"The form's anti-forgery token does not match. Go back to the site and start again.")
		return pendingAuth{}, false
	}
	return pa, true
}

// signInPage shows the sign-in page again, for "use another account".
func (p *provider) signInPage(w http.ResponseWriter, r *http.Request) {
	pa, ok := p.lookupPending(r.URL.Query().Get("txn"))
	if !ok {
		p.renderError(w, http.StatusBadRequest, "This sign-in has expired.",
			"Sign-in requests last 10 minutes and work once. Go back to the site and start again.")
		return
	}
	p.renderSignIn(w, http.StatusOK, pa, "")
}

// signIn handles the sign-in form: a persona or custom claims. It starts a
// login session and sends the browser on to the consent page.
func (p *provider) signIn(w http.ResponseWriter, r *http.Request) {
	form, ok := p.readPageForm(w, r)
	if !ok {
		return
	}
	pa, ok := p.pendingFromForm(w, form)
	if !ok {
		return
	}

	// Who signs in: a built-in persona or the custom claims.
	var user Persona
	if id := form.Get("persona"); id != "custom" {
		if user, ok = p.persona(id); !ok {
			p.renderSignIn(w, http.StatusBadRequest, pa, "Pick one of the people listed.")
			return
		}
	} else {
		var problem string
		if user, problem = customPersona(form); problem != "" {
			p.renderSignIn(w, http.StatusBadRequest, pa, problem)
			return
		}
	}

	sid, err := p.startSession(pa.id, user)
	if err != nil {
		p.renderError(w, http.StatusInternalServerError, "Signing in failed.", "Try again.")
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: sid, Path: "/" + p.name + "/",
		HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: int(sessionTTL.Seconds()),
		Secure: strings.HasPrefix(p.issuer, "https:"),
	})
	http.Redirect(w, r, p.issuer+"/consent?txn="+url.QueryEscape(pa.id), http.StatusSeeOther)
}

// customPersona builds a user from the custom-claims form, or says what is
// wrong with it.
func customPersona(form url.Values) (Persona, string) {
	u := Persona{
		ID:            "custom",
		Subject:       strings.TrimSpace(form.Get("sub")),
		Name:          strings.TrimSpace(form.Get("name")),
		Email:         strings.TrimSpace(form.Get("email")),
		EmailVerified: form.Get("email_verified") == "on",
	}
	switch {
	case u.Subject == "" || len(u.Subject) > 255 || strings.IndexFunc(u.Subject, notPrintable) >= 0:
		return u, "The subject (sub) must be 1 to 255 printable ASCII characters."
	case hiddenChars(u.Name):
		return u, "The name contains an invisible or control character (such as a line " +
			"break, an escape, a zero-width space or a right-to-left override). " +
			"Type the name with visible characters only."
	case hiddenChars(u.Email):
		return u, "The email address contains an invisible or control character. " +
			"Type it with visible characters only."
	case len(u.Name) > 200:
		return u, "The name must be at most 200 characters."
	case u.Email != "" && !validEmail(u.Email):
		return u, "The email address is not valid; leave it empty or write one like a@example.com."
	}
	if first, last, ok := strings.Cut(u.Name, " "); ok {
		u.GivenName, u.FamilyName = first, strings.TrimSpace(last)
	} else {
		u.GivenName = u.Name
	}
	return u, ""
}

func notPrintable(r rune) bool { return r < 0x21 || r > 0x7e }

// hiddenChars reports whether s has characters a claim should never carry
// because they change or hide what a reader sees: invalid UTF-8, control
// characters (C0, DEL, C1: escapes, line breaks), the bidirectional controls
// such as U+202E, which make text read backwards, the other invisible
// format characters (zero-width space, word joiner, byte order mark, soft
// hyphen) and the line and paragraph separators. The zero-width joiner and
// non-joiner (U+200D, U+200C) stay allowed: names in Persian and other
// scripts, and emoji, need them.
func hiddenChars(s string) bool {
	if !utf8.ValidString(s) {
		return true
	}
	return strings.ContainsFunc(s, func(r rune) bool {
		if r == '\u200c' || r == '\u200d' {
			return false
		}
		return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp, unicode.Co) ||
			r == utf8.RuneError
	})
}

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && len(s) <= 254 && !strings.ContainsFunc(s, unicode.IsSpace)
}

// consentPage shows what the site asks for.
func (p *provider) consentPage(w http.ResponseWriter, r *http.Request) {
	pa, ok := p.lookupPending(r.URL.Query().Get("txn"))
	if !ok {
		p.renderError(w, http.StatusBadRequest, "This sign-in has expired.",
			"Sign-in requests last 10 minutes and work once. Go back to the site and start again.")
		return
	}
	sess, ok := p.sessionFor(r)
	if !ok || sess.id != pa.sessionID {
		p.renderSignIn(w, http.StatusOK, pa, "Please sign in first.")
		return
	}
	p.renderConsent(w, pa, sess.user)
}

// consent handles the consent form: allow issues a code, decline sends
// access_denied. Either way the pending request is finished.
func (p *provider) consent(w http.ResponseWriter, r *http.Request) {
	form, ok := p.readPageForm(w, r)
	if !ok {
		return
	}
	pa, ok := p.pendingFromForm(w, form)
	if !ok {
		return
	}
	sess, ok := p.sessionFor(r)
	if !ok || sess.id != pa.sessionID {
		p.renderSignIn(w, http.StatusOK, pa, "Please sign in first.")
		return
	}
	decision := form.Get("decision")
	if decision != "allow" && decision != "deny" {
		p.renderConsent(w, pa, sess.user)
		return
	}
	if !p.finishPending(pa.id) {
		p.renderError(w, http.StatusBadRequest, "This sign-in was already answered.",
			"Go back to the site and start again.")
		return
	}

	if decision == "deny" {
		p.redirectError(w, r, pa.req.redirectURI, pa.req.state,
			oauthErrorf(errAccessDenied, "the user declined"))
		return
	}
	p.recordConsent(sess.id, pa.req.client.ID, pa.req.scopes)
	p.redirectWithCode(w, r, pa.req, sess)
}
