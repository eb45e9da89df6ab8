package travel

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"callbacklab/sim/booking"
	"callbacklab/sim/trace"
)

// maxBookings is how many bookings the site remembers; the oldest go first.
const maxBookings = 10_000

// Booking is a booking as the travel site knows it.
type Booking struct {
	ID      string          `json:"id"`
	User    string          `json:"-"`
	Request booking.Request `json:"request"`
	Status  booking.Outcome `json:"status"`
	Reason  string          `json:"reason,omitempty"`
	Created time.Time       `json:"created"`
}

// Message is what the traveller reads about the booking, such as
// "Booking confirmed".
func (b Booking) Message() string {
	switch b.Status {
	case booking.Confirmed:
		return "Booking confirmed"
	case booking.PaymentFailed:
		return "Booking failed: payment failed (" + b.Reason + ")"
	case booking.SoldOut:
		return "Booking failed: sold out (" + b.Reason + ")"
	case booking.StatusPending:
		return "Booking pending: waiting for book_ticket"
	}
	return "Booking " + string(b.Status)
}

// Bookings returns the site's bookings of one user ("provider:subject"), or
// of everyone when user is "", newest first.
func (s *Site) Bookings(user string) []Booking {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Booking
	for _, b := range s.bookings {
		if user == "" || b.User == user {
			out = append(out, *b)
		}
	}
	slices.SortFunc(out, func(a, b Booking) int { return b.Created.Compare(a.Created) })
	return out
}

// formRequest reads the booking form.
func formRequest(form url.Values) booking.Request {
	f := func(k string) string { return strings.TrimSpace(form.Get(k)) }
	return booking.Request{
		Name: f("name"), Email: f("email"), Phone: f("phone"), From: f("from"), To: f("to"),
		Date: f("date"), Time: f("time"), TicketType: f("ticket_type"),
	}
}

// handleForm shows the booking form, filled in from a draft after sign-in.
func (s *Site) handleForm(w http.ResponseWriter, r *http.Request) {
	u, signedIn := s.user(r)
	data := pageData{Title: "Book a ticket", Form: booking.Request{TicketType: "economy"}}
	if signedIn {
		data.Form.Name, data.Form.Email = u.Name, u.Email
	}
	if c, err := r.Cookie(draftCookie); err == nil && r.URL.Query().Get("resume") != "" {
		s.mu.Lock()
		d, ok := s.drafts.take(s.cfg.Now(), c.Value)
		s.mu.Unlock()
		if ok {
			data.Form = d
			data.Notice = "Welcome back. Your form is as you left it: press Book to send it."
		}
		s.setCookie(w, draftCookie, "", "/travel", 0)
	}
	if id := r.URL.Query().Get("booked"); id != "" && signedIn {
		for _, b := range s.Bookings(u.key()) {
			if b.ID == id {
				data.Booked = &b
			}
		}
	}
	s.render(w, r, http.StatusOK, "form.html", data)
}

// draftLifetime is how long a booking form kept during sign-in lasts.
const draftLifetime = 10 * time.Minute

// maxDrafts bounds the drafts kept; one more forgets the oldest.
const maxDrafts = 1_000

// handleBook checks the form, then sends the booking to book_ticket, or
// keeps the checked form and signs in first. Cross-site posts were refused
// by [Site.guard] already.
func (s *Site) handleBook(w http.ResponseWriter, r *http.Request) {
	form, ferr := readForm(w, r)
	if ferr != nil {
		s.failForm(w, r, ferr)
		return
	}
	req := formRequest(form)
	u, signedIn := s.user(r)

	// Check the form before anything is kept or anyone signs in, so that a
	// missing phone shows now and not after the whole sign-in.
	if errs := checkForm(req, s.cfg.Now()); len(errs) > 0 {
		s.showErrors(w, r, req, errs)
		return
	}

	// Signed out: keep the draft and come back to it after signing in.
	if !signedIn {
		id, err := s.random(18)
		if err != nil {
			s.fail(w, r, http.StatusInternalServerError, "Booking failed", "Please try again.")
			return
		}
		s.mu.Lock()
		s.drafts.put(s.cfg.Now(), id, req)
		s.mu.Unlock()
		s.setCookie(w, draftCookie, id, "/travel", draftLifetime)
		http.Redirect(w, r, "/travel/signin?resume=1", http.StatusSeeOther)
		return
	}

	// book_ticket has the last word.
	id, ferrs, err := s.send(r, req)
	switch {
	case err != nil:
		s.render(w, r, http.StatusBadGateway, "form.html", pageData{
			Title: "Book a ticket", Form: req, Problem: err.Error(),
		})
		return
	case len(ferrs) > 0:
		s.showErrors(w, r, req, ferrs)
		return
	}
	s.mu.Lock()
	s.bookings[id] = &Booking{ID: id, User: u.key(), Request: req,
		Status: booking.StatusPending, Created: s.cfg.Now()}
	s.bookingOrder = append(s.bookingOrder, id)
	if len(s.bookingOrder) > maxBookings {
		delete(s.bookings, s.bookingOrder[0])
		s.bookingOrder = s.bookingOrder[1:]
	}
	s.mu.Unlock()
	if s.cfg.OnBooked != nil {
		s.cfg.OnBooked(trace.WithJourney(s.ctx, trace.JourneyFrom(r.Context())), id)
	}
	http.Redirect(w, r, "/travel?booked="+id, http.StatusSeeOther)
}

// showErrors shows the form again with one message per bad field.
func (s *Site) showErrors(w http.ResponseWriter, r *http.Request, req booking.Request,
	errs []booking.FieldError) {
	data := pageData{Title: "Book a ticket", Form: req, Errors: map[string]string{}}
	for _, e := range errs {
		if e.Field == "callback_url" {
			data.Problem = "book_ticket refused the site's callback URL: " + e.Message
			continue
		}
		if _, ok := data.Errors[e.Field]; !ok {
			data.Errors[e.Field] = e.Message
		}
	}
	s.render(w, r, http.StatusUnprocessableEntity, "form.html", data)
}

// send posts the booking to book_ticket. It returns the booking id, or the
// field errors book_ticket found, or an error to show as is.
func (s *Site) send(r *http.Request, req booking.Request) (string, []booking.FieldError, error) {
	req.CallbackURL = s.callbackURL()
	body, _ := json.Marshal(req)
	out, err := http.NewRequestWithContext(r.Context(), http.MethodPost,
		strings.TrimSuffix(s.cfg.BookingURL, "/")+"/bookings", bytes.NewReader(body))
	if err != nil {
		return "", nil, fmt.Errorf("book_ticket's address is misconfigured")
	}
	out.Header.Set("Content-Type", "application/json")
	out.Header.Set("Authorization", "Bearer "+s.cfg.BookingToken)
	res, err := s.cfg.HTTPClient.Do(out)
	if err != nil {
		return "", nil, fmt.Errorf("book_ticket could not be reached; please try again")
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))

	var answer struct {
		ID     string               `json:"id"`
		Errors []booking.FieldError `json:"errors"`
	}
	_ = json.Unmarshal(raw, &answer)
	switch {
	case res.StatusCode == http.StatusAccepted && answer.ID != "":
		return answer.ID, nil, nil
	case res.StatusCode == http.StatusBadRequest && len(answer.Errors) > 0:
		return "", answer.Errors, nil
	}
	return "", nil, fmt.Errorf("book_ticket answered %d; please try again", res.StatusCode)
}

// handleBookings lists the traveller's bookings.
func (s *Site) handleBookings(w http.ResponseWriter, r *http.Request) {
	u, ok := s.user(r)
	if !ok {
		http.Redirect(w, r, "/travel/signin", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "bookings.html", pageData{
		Title: "My bookings", Bookings: s.Bookings(u.key()),
	})
}
