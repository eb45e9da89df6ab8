package workshop

import (
	"bytes"
	"embed"
	"html/template"
	"mime"
	"net"
	"net/http"
	"path"
	"strconv"

	"github.com/go-chi/chi/v5"
)

//go:embed assets
var assets embed.FS

var pageTemplates = template.Must(template.New("").Funcs(template.FuncMap{
	"pageTitle": func(t string) pageData { return pageData{Title: t} },
}).ParseFS(assets, "assets/*.html"))

// pageCSP is the content security policy of the instructor's page: its own script and
// styles only, so a hostile name can never run as code even if it escaped its escaping.
const pageCSP = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; " +
	"form-action 'self'"

// pageData is what the instructor's page template reads.
type pageData struct {
	Code     string
	JoinURLs []string
	// Title and Message are for the refusal page.
	Title   string
	Message string
}

// servePage serves the instructor's page. The token may come once in ?token=; the page then
// keeps it in an HttpOnly cookie and drops it from the address bar.
func (h *Handler) servePage(w http.ResponseWriter, r *http.Request) {
	if tok := r.URL.Query().Get("token"); tok != "" {
		if !h.room.CheckInstructor(tok) {
			h.renderPage(w, http.StatusForbidden, "refusal", pageData{
				Title: "Wrong instructor token",
				Message: "This link's token is not this workshop's. Open the link that " +
					"'callbacklab serve --workshop' printed when it started.",
			})
			return
		}
		http.SetCookie(w, &http.Cookie{
			Name: instructorCookie, Value: tok, Path: "/workshop",
			HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil,
		})
		q := r.URL.Query()
		q.Del("token")
		to := "/workshop"
		if len(q) > 0 {
			to += "?" + q.Encode()
		}
		// The answer sets the instructor's cookie: no cache may keep it.
		w.Header().Set("Cache-Control", "no-store")
		http.Redirect(w, r, to, http.StatusSeeOther)
		return
	}

	tok := instructorToken(r)
	switch {
	case tok == "":
		h.renderPage(w, http.StatusUnauthorized, "refusal", pageData{
			Title: "This page is for the instructor",
			Message: "Open the link that 'callbacklab serve --workshop' printed when it " +
				"started: it holds the instructor token. Learners join from their terminal " +
				"with 'go run . watch --join'.",
		})
		return
	case !h.room.CheckInstructor(tok):
		h.renderPage(w, http.StatusForbidden, "refusal", pageData{
			Title: "Wrong instructor token",
			Message: "The token this browser holds is not this workshop's (was the room " +
				"file replaced?). Open the link that 'callbacklab serve --workshop' printed.",
		})
		return
	}

	urls := h.joinURLs
	if len(urls) == 0 {
		urls = []string{"http://" + r.Host}
	}
	h.renderPage(w, http.StatusOK, "page", pageData{Code: h.room.Code(), JoinURLs: urls})
}

// renderPage renders one of the page templates with its security headers.
func (h *Handler) renderPage(w http.ResponseWriter, code int, name string, d pageData) {
	var buf bytes.Buffer
	if err := pageTemplates.ExecuteTemplate(&buf, name, d); err != nil {
		h.log.Error("workshop: rendering the page", "err", err)
		http.Error(w, "The workshop page could not be drawn; restart callbacklab.",
			http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", pageCSP)
	w.WriteHeader(code)
	_, _ = w.Write(buf.Bytes())
}

// serveAsset serves the page's script and style sheet.
func serveAsset(w http.ResponseWriter, r *http.Request) {
	name := chi.URLParam(r, "name")
	b, err := assets.ReadFile("assets/" + name)
	if err != nil || path.Ext(name) == ".html" {
		writeError(w, http.StatusNotFound, "there is no workshop asset "+strconv.Quote(name))
		return
	}
	w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(b)
}

// JoinURLs returns the addresses learners can use to join a server listening on addr: addr
// itself, or, when it listens on every interface, one address per non-loopback interface
// IPv4 address of this machine (loopback last, for a learner on the same machine).
func JoinURLs(addr net.Addr) []string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return []string{"http://" + addr.String()}
	}
	port := strconv.Itoa(tcp.Port)
	if !tcp.IP.IsUnspecified() {
		return []string{"http://" + net.JoinHostPort(tcp.IP.String(), port)}
	}
	var v4, v6 []string
	if ifaddrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range ifaddrs {
			ipn, ok := a.(*net.IPNet)
			if !ok || ipn.IP.IsLoopback() || ipn.IP.IsLinkLocalUnicast() {
				continue
			}
			u := "http://" + net.JoinHostPort(ipn.IP.String(), port)
			if ipn.IP.To4() != nil {
				v4 = append(v4, u)
			} else {
				v6 = append(v6, u)
			}
		}
	}
	// IPv6 addresses are long to type; they are shown only when there is no IPv4 one.
	urls := v4
	if len(urls) == 0 {
		urls = v6
	}
	return append(urls, "http://"+net.JoinHostPort("127.0.0.1", port))
}
