package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"callbacklab/server/diagram"
	"callbacklab/sim"
	"callbacklab/sim/idp"
	"callbacklab/sim/trace"
)

// simHeartbeat is how often the trace event stream sends a comment when nothing happens.
const simHeartbeat = 15 * time.Second

// MountSim adds the simulation to the web app: the travel site at its own paths (/travel,
// /travel/..., /auth/callback, /booking/callback) and the /sim page with its control panel
// and live trace. Call it once, before the server is in use.
func (s *Server) MountSim(w *sim.World) {
	h := &simPage{s: s, w: w, origin: w.Config().WebOrigin}
	if u, err := url.Parse(h.origin); err == nil {
		h.host = u.Host
	}
	travel := w.Travel()
	s.Handle("/travel", travel)
	s.Handle("/travel/*", travel)
	s.Handle("/auth/callback", travel)
	s.Handle("/booking/callback", travel)
	r := s.router.With(h.guard)
	r.Get("/sim", h.serve)
	r.With(s.limitStreams).Get("/sim/trace/events", h.serveEvents)
	r.Get("/sim/trace.mmd", h.serveMermaid)
	r.Get("/sim/trace.svg", h.serveSVG)
	r.Get("/sim/state", h.serveState)
	r.Post("/sim/scenario", h.setScenario)
	r.Post("/sim/quirk", h.setQuirk)
	r.Post("/sim/attack/login-csrf", h.attackLoginCSRF)
	r.Post("/sim/attack/replay", h.attackReplay)
}

// simPage serves /sim and its endpoints.
type simPage struct {
	s      *Server
	w      *sim.World
	origin string // the web app's configured origin, such as http://127.0.0.1:8080
	host   string // its host:port
}

// simView is what the /sim template shows.
type simView struct {
	Scenarios []sim.Scenario
	Current   string
	Quirks    []quirkView
	SVG       template.HTML
	Mermaid   string
	State     simState
}

// quirkView is one quirk switch of one provider.
type quirkView struct {
	Provider, Name, Doc string
	Seconds             bool
	Value               int
}

// simState is the part of the page that sim.js refreshes after each hop.
type simState struct {
	Scenario   string       `json:"scenario"`
	Received   int          `json:"received"`
	Rejected   int          `json:"rejected"`
	Duplicates int          `json:"duplicates"`
	Processed  int          `json:"processed"`
	Deliveries []simBooking `json:"deliveries"`
}

// simBooking is one of book_ticket's bookings with its callback delivery.
type simBooking struct {
	ID       string `json:"id"`
	Status   string `json:"status"`
	Delivery string `json:"delivery"`
	Attempts string `json:"attempts"`
}

// maxDeliveriesShown bounds the deliveries table.
const maxDeliveriesShown = 8

func (h *simPage) state() simState {
	st := h.w.Site().Stats()
	v := simState{Scenario: h.w.Scenario(), Received: st.Received, Rejected: st.Rejected,
		Duplicates: st.Duplicates, Processed: st.Processed, Deliveries: []simBooking{}}
	all := h.w.BookingService().Bookings()
	for i := len(all) - 1; i >= 0 && len(v.Deliveries) < maxDeliveriesShown; i-- {
		b := all[i]
		attempts := ""
		for _, a := range b.Delivery.Attempts {
			if attempts != "" {
				attempts += ", "
			}
			if a.Status != 0 {
				attempts += strconv.Itoa(a.Status)
			} else {
				attempts += "no answer"
			}
			if a.Wait > 0 {
				attempts += " (then wait " + a.Wait.Round(10*time.Millisecond).String() + ")"
			}
		}
		v.Deliveries = append(v.Deliveries, simBooking{ID: b.ID, Status: string(b.Status),
			Delivery: string(b.Delivery.State), Attempts: attempts})
	}
	return v
}

// journey returns the journey of the browser asking, named by its journey cookie. A browser
// sees only its own journey: without the cookie, the journey is empty.
func (h *simPage) journey(r *http.Request) trace.Journey {
	c, err := r.Cookie(trace.JourneyCookie)
	if err != nil {
		return trace.Journey{}
	}
	j, _ := h.w.Traces().Journey(c.Value)
	return j
}

// serve serves /sim: the travel site beside the live diagram, and the control panel.
func (h *simPage) serve(w http.ResponseWriter, r *http.Request) {
	v := simView{Scenarios: h.w.Scenarios(), Current: h.w.Scenario(), State: h.state()}
	for _, p := range []string{idp.Google, idp.Facebook} {
		values := h.w.QuirkValues(p)
		for _, sw := range idp.QuirkSwitches() {
			v.Quirks = append(v.Quirks, quirkView{Provider: p, Name: sw.Name, Doc: sw.Doc,
				Seconds: sw.Seconds, Value: values[sw.Name]})
		}
	}
	j := h.journey(r)
	if _, err := r.Cookie(trace.JourneyCookie); err != nil {
		// Name this browser's journey now, so that the travel frame's first request is
		// already drawn.
		http.SetCookie(w, &http.Cookie{Name: trace.JourneyCookie,
			Value: h.w.Traces().NewJourneyID(), Path: "/", HttpOnly: true,
			SameSite: http.SameSiteLaxMode, Secure: strings.HasPrefix(h.origin, "https:")})
	}
	svg, src := renderJourney(j)
	v.SVG, v.Mermaid = template.HTML(svg), string(src) // #nosec: the renderer escapes labels
	body, err := h.s.tmpl.render("sim", pageData{
		Title:   "Simulation",
		Summary: "Sign in, book a ticket and watch every exchange drawn as it happens.",
		Nav:     "sim",
		Data:    v,
	})
	if err != nil {
		h.s.serveError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(body)
}

// renderJourney draws a journey, or a placeholder before the first hop.
func renderJourney(j trace.Journey) (svg, src []byte) {
	if len(j.Hops) == 0 {
		return []byte(`<p class="sim-empty">Nothing yet: use the travel site on the left ` +
			`and each exchange appears here.</p>`), nil
	}
	src = j.Mermaid()
	svg, err := diagram.RenderSVG(src)
	if err != nil {
		return diagram.ErrorPanel(err), src
	}
	return svg, src
}

// serveSVG serves the current journey as SVG.
func (h *simPage) serveSVG(w http.ResponseWriter, r *http.Request) {
	svg, _ := renderJourney(h.journey(r))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(svg)
}

// serveMermaid serves the browser's journey as Mermaid text; an empty diagram before its first
// hop.
func (h *simPage) serveMermaid(w http.ResponseWriter, r *http.Request) {
	j := h.journey(r)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(j.Mermaid())
}

// serveState serves the control panel's counters and deliveries as JSON.
func (h *simPage) serveState(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(h.state())
}

// serveEvents streams one "hop" event per recorded exchange. The events name no journey and
// no participant: they only tell the page to fetch its own journey again, which
// /sim/trace.svg serves by the browser's cookie.
//
// TODO: Every browser is told when any journey gains a hop, so it learns when others are
// active (not what they do); filtering by journey needs the cookie of each event's browser,
// which changes when the traveller signs out.
func (h *simPage) serveEvents(w http.ResponseWriter, r *http.Request) {
	events, cancel := h.w.Traces().Subscribe(64)
	defer cancel()
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, ": connected\n\n")
	if rc.Flush() != nil {
		return
	}
	tick := time.NewTicker(simHeartbeat)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
			fmt.Fprint(w, ": heartbeat\n\n")
		case _, ok := <-events:
			if !ok {
				return
			}
			fmt.Fprint(w, "event: hop\ndata: {}\n\n")
		}
		if rc.Flush() != nil {
			return
		}
	}
}

// maxSimForm bounds the control panel's form bodies; its largest form is under 200 bytes.
const maxSimForm = 8 << 10

// guard refuses requests whose Host is not the web app's configured host (DNS rebinding: a
// page of evil.example that resolves to 127.0.0.1 sends Host: evil.example), and POSTs whose
// Origin, or Referer when there is no Origin, is not exactly the configured origin (scheme,
// host and port), since another port of 127.0.0.1 is the same site for SameSite cookies.
func (h *simPage) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.EqualFold(r.Host, h.host) {
			h.s.serveError(w, r, &HTTPError{Code: http.StatusMisdirectedRequest,
				Msg: "The simulation answers only at " + h.origin + ". Open it at that address."})
			return
		}
		if r.Method == http.MethodPost && !sameOrigin(r, h.origin) {
			h.s.serveError(w, r, &HTTPError{Code: http.StatusForbidden,
				Msg: "The control panel only takes requests from its own page at " + h.origin +
					". Reload the simulation page and press the button again."})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// sameOrigin reports whether the request's Origin, or its Referer when it has no Origin,
// names exactly the origin.
func sameOrigin(r *http.Request, origin string) bool {
	from := r.Header.Get("Origin")
	if from == "" {
		from = r.Header.Get("Referer")
	}
	u, err := url.Parse(from)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return false
	}
	return strings.EqualFold(u.Scheme+"://"+u.Host, origin)
}

// readForm reads a control panel form: urlencoded only, so that nothing is ever written to a
// temporary file, at most maxSimForm bytes, and each field once.
func readForm(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil ||
		mt != "application/x-www-form-urlencoded" {
		return nil, &HTTPError{Code: http.StatusUnsupportedMediaType,
			Msg: "The control panel takes forms sent as application/x-www-form-urlencoded, " +
				"as its own page sends them."}
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxSimForm)
	if err := r.ParseForm(); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, &HTTPError{Code: http.StatusRequestEntityTooLarge,
				Msg: "The form was larger than 8 KiB; the control panel's forms are far smaller."}
		}
		return nil, &HTTPError{Code: http.StatusBadRequest,
			Msg: "The form could not be read. Send it again from the simulation page."}
	}
	for k, v := range r.PostForm {
		if len(v) > 1 {
			return nil, &HTTPError{Code: http.StatusBadRequest,
				Msg: "The form sent a field more than once (" + k + "); send each field once."}
		}
	}
	return r.PostForm, nil
}

// setScenario switches the scenario and returns to /sim.
func (h *simPage) setScenario(w http.ResponseWriter, r *http.Request) {
	form, err := readForm(w, r)
	if err != nil {
		h.s.serveError(w, r, err)
		return
	}
	if err := h.w.SetScenario(form.Get("scenario")); err != nil {
		h.s.serveError(w, r, &HTTPError{Code: http.StatusBadRequest,
			Msg: "There is no such scenario. Pick one from the list on the simulation page."})
		return
	}
	http.Redirect(w, r, "/sim", http.StatusSeeOther)
}

// setQuirk flips one provider quirk and returns to /sim.
func (h *simPage) setQuirk(w http.ResponseWriter, r *http.Request) {
	form, err := readForm(w, r)
	if err != nil {
		h.s.serveError(w, r, err)
		return
	}
	value, err := strconv.Atoi(form.Get("value"))
	if err != nil {
		h.s.serveError(w, r, &HTTPError{Code: http.StatusBadRequest,
			Msg: "The value must be a whole number: 0 or 1 for a switch, or seconds."})
		return
	}
	if err := h.w.SetQuirk(form.Get("provider"), form.Get("name"), value); err != nil {
		msg := "That quirk switch does not exist. Pick one from the simulation page."
		if errors.Is(err, sim.ErrQuirkValue) {
			msg = fmt.Sprintf("That value is out of range: a switch takes 0 or 1, and a "+
				"number of seconds lies between %d and %d (one day either way).",
				-sim.MaxQuirkSeconds, sim.MaxQuirkSeconds)
		}
		h.s.serveError(w, r, &HTTPError{Code: http.StatusBadRequest, Msg: msg})
		return
	}
	http.Redirect(w, r, "/sim", http.StatusSeeOther)
}

// attackLoginCSRF lets the simulated attacker make a sign-in response for their own account
// and sends the travel frame to it.
func (h *simPage) attackLoginCSRF(w http.ResponseWriter, r *http.Request) {
	link, err := h.w.LoginCSRFURL(r.Context())
	if err != nil {
		h.s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, link, http.StatusSeeOther)
}

// attackReplay sends the travel frame to the last sign-in response again.
func (h *simPage) attackReplay(w http.ResponseWriter, r *http.Request) {
	link := h.w.Site().LastSignInURL()
	if link == "" {
		h.s.serveError(w, r, &HTTPError{Code: http.StatusConflict,
			Msg: "Nobody has signed in yet, so there is no sign-in response to replay."})
		return
	}
	http.Redirect(w, r, link, http.StatusSeeOther)
}
