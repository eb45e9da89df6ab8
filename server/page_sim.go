package server

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
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
	h := &simPage{s: s, w: w}
	travel := w.Travel()
	s.Handle("/travel", travel)
	s.Handle("/travel/*", travel)
	s.Handle("/auth/callback", travel)
	s.Handle("/booking/callback", travel)
	s.router.Get("/sim", h.serve)
	s.router.Get("/sim/trace/events", h.serveEvents)
	s.router.Get("/sim/trace.mmd", h.serveMermaid)
	s.router.Get("/sim/trace.svg", h.serveSVG)
	s.router.Get("/sim/state", h.serveState)
	s.router.Post("/sim/scenario", h.setScenario)
	s.router.Post("/sim/quirk", h.setQuirk)
	s.router.Post("/sim/attack/login-csrf", h.attackLoginCSRF)
	s.router.Post("/sim/attack/replay", h.attackReplay)
}

// simPage serves /sim and its endpoints.
type simPage struct {
	s *Server
	w *sim.World
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

// journey returns the journey of the browser asking (from its journey cookie), or the latest.
func (h *simPage) journey(r *http.Request) (trace.Journey, bool) {
	rec := h.w.Traces()
	if id := r.URL.Query().Get("journey"); id != "" {
		return rec.Journey(id)
	}
	if c, err := r.Cookie(trace.JourneyCookie); err == nil {
		if j, ok := rec.Journey(c.Value); ok {
			return j, true
		}
	}
	return rec.Latest()
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
	j, _ := h.journey(r)
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
	j, _ := h.journey(r)
	svg, _ := renderJourney(j)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(svg)
}

// serveMermaid serves the current journey as Mermaid text.
func (h *simPage) serveMermaid(w http.ResponseWriter, r *http.Request) {
	j, ok := h.journey(r)
	if !ok {
		http.Error(w, "no journey yet", http.StatusNotFound)
		return
	}
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

// serveEvents streams one "hop" event per recorded exchange.
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
		case ev, ok := <-events:
			if !ok {
				return
			}
			data, _ := json.Marshal(map[string]any{"journey": ev.JourneyID, "seq": ev.Hop.Seq,
				"from": ev.Hop.From, "to": ev.Hop.To})
			fmt.Fprintf(w, "event: hop\ndata: %s\n\n", data)
		}
		if rc.Flush() != nil {
			return
		}
	}
}

// sameOrigin refuses control requests that another site's page sent.
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	u, err := url.Parse(o)
	return err == nil && u.Host == r.Host
}

// setScenario switches the scenario and returns to /sim.
func (h *simPage) setScenario(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		h.s.serveError(w, r, &HTTPError{Code: http.StatusForbidden,
			Msg: "The control panel only takes requests from its own page."})
		return
	}
	if err := h.w.SetScenario(r.PostFormValue("scenario")); err != nil {
		h.s.serveError(w, r, &HTTPError{Code: http.StatusBadRequest,
			Msg: "There is no such scenario. Pick one from the list on the simulation page."})
		return
	}
	http.Redirect(w, r, "/sim", http.StatusSeeOther)
}

// setQuirk flips one provider quirk and returns to /sim.
func (h *simPage) setQuirk(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		h.s.serveError(w, r, &HTTPError{Code: http.StatusForbidden,
			Msg: "The control panel only takes requests from its own page."})
		return
	}
	value, err := strconv.Atoi(r.PostFormValue("value"))
	if err == nil {
		err = h.w.SetQuirk(r.PostFormValue("provider"), r.PostFormValue("name"), value)
	}
	if err != nil {
		h.s.serveError(w, r, &HTTPError{Code: http.StatusBadRequest,
			Msg: "That quirk switch does not exist or its value is not a whole number."})
		return
	}
	http.Redirect(w, r, "/sim", http.StatusSeeOther)
}

// attackLoginCSRF lets the simulated attacker make a sign-in response for their own account
// and sends the travel frame to it.
func (h *simPage) attackLoginCSRF(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		h.s.serveError(w, r, &HTTPError{Code: http.StatusForbidden,
			Msg: "The control panel only takes requests from its own page."})
		return
	}
	link, err := h.w.LoginCSRFURL(r.Context())
	if err != nil {
		h.s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, link, http.StatusSeeOther)
}

// attackReplay sends the travel frame to the last sign-in response again.
func (h *simPage) attackReplay(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		h.s.serveError(w, r, &HTTPError{Code: http.StatusForbidden,
			Msg: "The control panel only takes requests from its own page."})
		return
	}
	link := h.w.Site().LastSignInURL()
	if link == "" {
		h.s.serveError(w, r, &HTTPError{Code: http.StatusConflict,
			Msg: "Nobody has signed in yet, so there is no sign-in response to replay."})
		return
	}
	http.Redirect(w, r, link, http.StatusSeeOther)
}
