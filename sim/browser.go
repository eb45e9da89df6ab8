package sim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"

	"callbacklab/sim/booking"
)

// Browser drives the world the way a traveller's browser does: it keeps
// cookies, follows redirects and fills in the providers' sign-in and consent
// forms. Tests and the simulated attacker use it.
type Browser struct {
	w      *World
	client *http.Client
}

// Page is a page the browser landed on.
type Page struct {
	URL    *url.URL
	Status int
	Body   string
}

// Browser returns a new browser with no cookies. It reaches the services
// through the world's transport (in memory when Config.InMemory is set).
func (w *World) Browser() *Browser {
	jar, _ := cookiejar.New(nil)
	return &Browser{w: w, client: &http.Client{Transport: w.base, Jar: jar}}
}

// Client returns the browser's http.Client, for requests the helpers do not
// cover, such as reading /travel/events.
func (b *Browser) Client() *http.Client { return b.client }

// Get loads a page, following redirects.
func (b *Browser) Get(ctx context.Context, rawURL string) (*Page, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, err
	}
	return b.do(req)
}

// PostForm submits a form, following redirects.
func (b *Browser) PostForm(ctx context.Context, rawURL string, form url.Values) (*Page, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, rawURL,
		strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")

	// A browser names the page a form came from; the simulated pages post
	// only to their own origin.
	req.Header.Set("Origin", req.URL.Scheme+"://"+req.URL.Host)
	return b.do(req)
}

func (b *Browser) do(req *http.Request) (*Page, error) {
	res, err := b.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	return &Page{URL: res.Request.URL, Status: res.StatusCode, Body: string(body)}, nil
}

// Book fills in the booking form and presses Book.
func (b *Browser) Book(ctx context.Context, r booking.Request) (*Page, error) {
	return b.PostForm(ctx, b.w.cfg.WebOrigin+"/travel/book", url.Values{
		"name": {r.Name}, "email": {r.Email}, "phone": {r.Phone}, "from": {r.From},
		"to": {r.To}, "date": {r.Date}, "time": {r.Time}, "ticket_type": {r.TicketType},
	})
}

// SignIn signs in at the travel site with a provider ("google" or
// "facebook") as a persona ("alice", "bob", "chen"), allowing or declining
// consent, and returns the page the site shows afterwards.
func (b *Browser) SignIn(ctx context.Context, provider, persona string, allow bool) (*Page, error) {
	p, err := b.Get(ctx, b.w.cfg.WebOrigin+"/travel/signin/"+provider)
	if err != nil {
		return nil, err
	}
	return b.ContinueSignIn(ctx, p, persona, allow)
}

// ContinueSignIn goes on from a provider's sign-in or consent page: it
// picks the persona, answers the consent and returns where that leads.
func (b *Browser) ContinueSignIn(ctx context.Context, p *Page, persona string,
	allow bool) (*Page, error) {
	for range 3 {
		f, ok := findForm(p)
		if !ok {
			return p, nil
		}
		switch {
		case strings.Contains(p.Body, `name="persona"`):
			f.values.Set("persona", persona)
		case strings.Contains(p.Body, `name="decision"`):
			f.values.Set("decision", map[bool]string{true: "allow", false: "deny"}[allow])
		default:
			return p, nil
		}
		var err error
		if p, err = b.PostForm(ctx, f.action, f.values); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// form is a POST form found on a page.
type form struct {
	action string
	values url.Values
}

var (
	formTag     = regexp.MustCompile(`<form method="post" action="([^"]+)">`)
	hiddenInput = regexp.MustCompile(`<input type="hidden" name="([a-z_]+)" value="([^"]*)">`)
)

// findForm finds the first POST form of a provider page and its hidden
// fields.
func findForm(p *Page) (form, bool) {
	m := formTag.FindStringSubmatchIndex(p.Body)
	if m == nil {
		return form{}, false
	}
	action, err := p.URL.Parse(htmlUnescape(p.Body[m[2]:m[3]]))
	if err != nil {
		return form{}, false
	}
	rest := p.Body[m[1]:]
	if end := strings.Index(rest, "</form>"); end >= 0 {
		rest = rest[:end]
	}
	f := form{action: action.String(), values: url.Values{}}
	for _, h := range hiddenInput.FindAllStringSubmatch(rest, -1) {
		f.values.Set(h[1], htmlUnescape(h[2]))
	}
	return f, true
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&#43;", "+", "&#34;", `"`, "&#39;", "'",
		"&lt;", "<", "&gt;", ">").Replace(s)
}

// LoginCSRFURL plays the attacker of a login CSRF: it signs in at the travel
// site with Google (mock) as "bob", in its own browser, but stops before its
// browser follows the provider's redirect back, and returns that sign-in
// response URL (with the attacker's code and state) for a victim to open.
func (w *World) LoginCSRFURL(ctx context.Context) (string, error) {
	b := w.Browser()
	var caught string
	b.client.CheckRedirect = func(req *http.Request, _ []*http.Request) error {
		if req.URL.Path == "/auth/callback" {
			caught = req.URL.String()
			return http.ErrUseLastResponse
		}
		return nil
	}
	if _, err := b.SignIn(ctx, "google", "bob", true); err != nil {
		return "", fmt.Errorf("sim: the attacker could not sign in: %w", err)
	}
	if caught == "" {
		return "", errors.New("sim: the attacker's sign-in did not reach the redirect back")
	}
	return caught, nil
}
