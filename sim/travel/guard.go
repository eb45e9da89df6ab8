package travel

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// maxFormBytes bounds the body of every form the site reads. The booking
// form's longest valid body is well under 2 KiB.
const maxFormBytes = 8 << 10

// formError is a form the site will not read, with the status and the
// sentence to show.
type formError struct {
	status int
	title  string
	msg    string
}

// readForm reads an urlencoded form body of at most maxFormBytes, without
// ever spilling to temporary files (r.ParseMultipartForm would), and refuses
// a field sent twice. It returns the form or what is wrong with it.
func readForm(w http.ResponseWriter, r *http.Request) (url.Values, *formError) {
	ct := r.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err != nil ||
		mt != "application/x-www-form-urlencoded" {
		return nil, &formError{http.StatusUnsupportedMediaType, "Form not accepted",
			"This address takes a form sent as application/x-www-form-urlencoded, " +
				"as the page's own form sends it; the request was " + nameOr(ct, "untyped") + "."}
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, &formError{http.StatusRequestEntityTooLarge, "Form too large",
				"The form was larger than 8 KiB, far more than the booking form needs. " +
					"Shorten the fields and send it again."}
		}
		return nil, &formError{http.StatusBadRequest, "Form not readable",
			"The form could not be read as application/x-www-form-urlencoded. " +
				"Please send the form again from the page."}
	}
	for k, v := range r.PostForm {
		if len(v) > 1 {
			return nil, &formError{http.StatusBadRequest, "Field sent twice",
				"The form sent the field " + clipText(k, 40) + " more than once; " +
					"each field must appear once."}
		}
	}
	return r.PostForm, nil
}

// failForm shows the page for a form the site would not read.
func (s *Site) failForm(w http.ResponseWriter, r *http.Request, e *formError) {
	s.fail(w, r, e.status, e.title, e.msg)
}

// originOf returns the scheme://host[:port] of an absolute URL, or "".
func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host)
}

// sameOrigin reports whether a state-changing request came from one of the
// site's own pages: its Origin header, or when a browser sent none its
// Referer, must name the site's origin exactly (scheme, host and port).
// SameSite=Lax cookies alone do not stop another port of 127.0.0.1, which
// browsers treat as the same site.
func sameOrigin(r *http.Request, origin string) bool {
	if o := r.Header.Get("Origin"); o != "" {
		return o != "null" && originOf(o) == strings.ToLower(origin)
	}
	ref := r.Header.Get("Referer")
	return ref != "" && originOf(ref) == strings.ToLower(origin)
}

// guard refuses requests that name another host (DNS rebinding) and
// browser POSTs from other origins (cross-site request forgery). The
// webhook receiver is exempt from the origin check: book_ticket is no
// browser and its requests carry a signature instead.
func (s *Site) guard(next http.Handler) http.Handler {
	host := strings.ToLower(s.host)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.ToLower(r.Host) != host {
			s.fail(w, r, http.StatusMisdirectedRequest, "Wrong address",
				"Callback Travel answers only at "+s.cfg.Origin+
					". Open the site at that address instead.")
			return
		}
		if r.Method == http.MethodPost && r.URL.Path != "/booking/callback" &&
			!sameOrigin(r, s.cfg.Origin) {
			s.fail(w, r, http.StatusForbidden, "Request refused",
				"This form was sent from a page that is not Callback Travel's own ("+
					s.cfg.Origin+"), so nothing was changed. If you pressed a button on "+
					"this site, reload the page and try again.")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func nameOr(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// clipText cuts s to n bytes for use in a message.
func clipText(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
