package trace

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net"
	"net/http"
	"path"
	"strings"
)

// JourneyCookie is the cookie that names a browser's journey.
const JourneyCookie = "callbacklab_journey"

// JourneyHeader carries the journey id on back-channel requests, signed by
// the [Recorder] so that only its [Recorder.Transport] can make one. A valid
// header also tells [Recorder.Middleware] that the sender has recorded the
// hop already.
const JourneyHeader = "Callbacklab-Journey"

// Namer names the participant a request is addressed to, such as [Google]
// for "/google/token" on the identity providers' origin. It returns "" when
// it does not know.
type Namer func(*http.Request) string

// Fixed returns a Namer that always answers name.
func Fixed(name string) Namer {
	return func(*http.Request) string { return name }
}

// MiddlewareOptions adjusts [Recorder.Middleware].
type MiddlewareOptions struct {
	// StartJourneys makes the middleware set [JourneyCookie] on a browser
	// that has none. The travel site does; the providers only read it.
	StartJourneys bool

	// RecordFirstRequest, with StartJourneys, also records the request that
	// starts a journey, so a story is drawn from its very first step. It is
	// for one trusted browser, as in a test or a lesson: on a shared server,
	// clients that drop cookies could then push other journeys out.
	RecordFirstRequest bool
}

// Middleware records each request from the browser to the participant
// named by self, and puts the request's journey in its context so that
// back-channel calls made while serving it land in the same journey. The
// request arrow is placed when the request arrives and the answer arrow
// when the handler returns, so calls made in between are drawn between
// them.
//
// Requests that carry a [JourneyHeader] signed by this recorder's
// [Recorder.Transport] were recorded by their sender and are not recorded
// again; the header of any other request (a browser's or a stranger's) is
// removed and ignored. A browser request without a journey cookie is not
// recorded: with StartJourneys it gets the cookie, and its journey begins
// with its next request, so clients that drop cookies cannot push the
// journeys of real browsers out of the recorder. Event streams, static
// files and pictures are not recorded.
func (r *Recorder) Middleware(self Namer, opts MiddlewareOptions) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			// A back-channel request: the sender recorded it.
			if v, ok := req.Header[JourneyHeader]; ok {
				if journey, ok := r.openHeader(v); ok {
					ctx := WithJourney(req.Context(), journey)
					next.ServeHTTP(w, req.WithContext(ctx))
					return
				}
				req = req.Clone(req.Context())
				req.Header.Del(JourneyHeader)
			}

			// A browser request: find its journey, or give it one for next
			// time.
			journey := ""
			if c, err := req.Cookie(JourneyCookie); err == nil && validID(c.Value) {
				journey = c.Value
			} else if opts.StartJourneys {
				id := r.NewJourneyID()
				http.SetCookie(w, &http.Cookie{
					Name: JourneyCookie, Value: id, Path: "/",
					HttpOnly: true, SameSite: http.SameSiteLaxMode,
				})
				if opts.RecordFirstRequest {
					journey = id
				}
			}
			req = req.WithContext(WithJourney(req.Context(), journey))
			if journey == "" || !recorded(req) {
				next.ServeHTTP(w, req)
				return
			}

			start := r.cfg.Now()
			finish := r.begin(journey, Hop{
				Time: start, From: Browser, To: nameOr(self(req), "Server"),
				Method: req.Method, Path: req.URL.RequestURI(),
			})
			sw := &statusWriter{ResponseWriter: w}
			next.ServeHTTP(sw, req)
			finish(sw.code(), answerNote(sw.code(), sw.Header()), r.cfg.Now().Sub(start))
		})
	}
}

// sealHeader returns the JourneyHeader value for a journey: the id and a
// MAC under the recorder's key.
func (r *Recorder) sealHeader(journey string) string {
	m := hmac.New(sha256.New, r.key)
	m.Write([]byte(journey))
	return journey + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// openHeader returns the journey of a JourneyHeader value made by
// sealHeader, or false for any other value.
func (r *Recorder) openHeader(v []string) (string, bool) {
	if len(v) != 1 {
		return "", false
	}
	i := strings.LastIndexByte(v[0], '.')
	if i < 0 {
		return "", false
	}
	journey := v[0][:i]
	return journey, hmac.Equal([]byte(r.sealHeader(journey)), []byte(v[0]))
}

// Transport returns a RoundTripper that records each request sent by the
// participant from, with the receiver named by to, and sends it through base
// (nil means [http.DefaultTransport]) with [JourneyHeader] set from the
// request context.
func (r *Recorder) Transport(from string, to Namer, base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &transport{rec: r, from: from, to: to, base: base}
}

type transport struct {
	rec  *Recorder
	from string
	to   Namer
	base http.RoundTripper
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	journey := JourneyFrom(req.Context())
	out := req.Clone(req.Context())
	out.Header.Set(JourneyHeader, t.rec.sealHeader(journey))

	start := t.rec.cfg.Now()
	finish := t.rec.begin(journey, Hop{
		Time: start, From: t.from, To: nameOr(t.to(req), req.URL.Host),
		Method: req.Method, Path: req.URL.RequestURI(),
	})
	res, err := t.base.RoundTrip(out)
	if err != nil {
		finish(0, "no answer: "+errText(err), t.rec.cfg.Now().Sub(start))
	} else {
		finish(res.StatusCode, answerNote(res.StatusCode, res.Header),
			t.rec.cfg.Now().Sub(start))
	}
	return res, err
}

// errText shortens an error from the transport for a diagram label.
func errText(err error) string {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Err != nil {
		return opErr.Err.Error()
	}
	return err.Error()
}

// recorded reports whether a browser request is worth a hop.
func recorded(req *http.Request) bool {
	if strings.Contains(req.Header.Get("Accept"), "text/event-stream") {
		return false
	}
	p := req.URL.Path
	if strings.Contains(p, "/static/") {
		return false
	}
	switch path.Ext(p) {
	case ".svg", ".png", ".ico", ".css", ".js":
		return false // pictures and assets would drown the exchanges that matter
	}
	return true
}

// answerNote says where an answer points: a 3xx redirects to its
// Location, while a 201 or 202 only names where the new resource is.
func answerNote(status int, h http.Header) string {
	loc := h.Get("Location")
	switch {
	case loc == "":
		return ""
	case status >= 300 && status < 400:
		return "redirect to " + redactURL(loc)
	}
	return "see " + redactURL(loc)
}

func nameOr(name, fallback string) string {
	if name == "" {
		return fallback
	}
	return name
}

// validID reports whether a journey id from a cookie is one we could have
// made, so that a tampered cookie cannot put odd text into a diagram.
func validID(id string) bool {
	if len(id) == 0 || len(id) > 40 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// statusWriter remembers the status code written through it.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) code() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

// Flush lets streaming handlers flush through the wrapper.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap gives [http.ResponseController] the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
