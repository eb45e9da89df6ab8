package booking

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"callbacklab/sim/trace"
)

// maxBody bounds the size of a booking request.
const maxBody = 64 << 10

// routes lists the service's routes.
func (s *Service) routes() http.Handler {
	r := chi.NewRouter()
	r.Post("/bookings", s.handleCreate)
	r.Get("/bookings/{id}", s.handleGet)
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, http.StatusNotFound, "not found", "book_ticket serves "+
			"POST /bookings and GET /bookings/{id}", nil)
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, req *http.Request) {
		allow := allowedMethods(r, req.URL.Path)
		w.Header().Set("Allow", allow)
		writeProblem(w, http.StatusMethodNotAllowed, "method not allowed",
			req.Method+" is not allowed on "+req.URL.Path+"; use "+allow, nil)
	})
	return r
}

// allowedMethods lists the methods router serves at path, for an Allow
// header (RFC 9110 section 15.5.6).
func allowedMethods(router chi.Routes, path string) string {
	var allowed []string
	for _, m := range []string{
		http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions,
	} {
		if router.Match(chi.NewRouteContext(), m, path) {
			allowed = append(allowed, m)
		}
	}
	return strings.Join(allowed, ", ")
}

// writeUnauthorized answers a request without a valid bearer token as RFC
// 6750 section 3.1 describes: a request with no token gets the realm alone,
// a request with a wrong one also gets error="invalid_token".
func writeUnauthorized(w http.ResponseWriter, tokenSent bool) {
	challenge := `Bearer realm="book_ticket"`
	detail := "send the client's token as Authorization: Bearer <token>"
	if tokenSent {
		challenge += `, error="invalid_token", error_description="the token is not known"`
		detail = "the bearer token is not one of a registered client; check the token"
	}
	w.Header().Set("WWW-Authenticate", challenge)
	writeProblem(w, http.StatusUnauthorized, "unauthorized", detail, nil)
}

// created is the body of a 202 answer.
type created struct {
	ID     string  `json:"id"`
	Status Outcome `json:"status"`
}

// handleCreate takes a booking: it checks the caller and the input, answers
// 202 at once and leaves the work to a goroutine.
func (s *Service) handleCreate(w http.ResponseWriter, r *http.Request) {
	client, sent, ok := s.authenticate(r)
	if !ok {
		writeUnauthorized(w, sent)
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		writeProblem(w, http.StatusUnsupportedMediaType, "unsupported media type",
			"send the booking as application/json", nil)
		return
	}

	// Read the request strictly: one JSON object, known fields, bounded size.
	var req Request
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		writeProblem(w, http.StatusBadRequest, "malformed booking", jsonError(err), nil)
		return
	}
	if dec.More() {
		writeProblem(w, http.StatusBadRequest, "malformed booking",
			"send exactly one JSON object", nil)
		return
	}

	// One message per bad field.
	errs := req.Validate(s.cfg.Now())
	if msg := s.checkCallback(client, req.CallbackURL); msg != "" {
		errs = append(errs, FieldError{Field: "callback_url", Message: msg})
	}
	if len(errs) > 0 {
		writeProblem(w, http.StatusBadRequest, "invalid booking",
			"some fields need fixing", errs)
		return
	}

	b, err := s.add(client, req, trace.JourneyFrom(r.Context()))
	if err != nil {
		writeProblem(w, http.StatusInternalServerError, "internal error",
			"the booking could not be stored; try again", nil)
		return
	}
	w.Header().Set("Location", "/bookings/"+b.ID)
	writeJSON(w, http.StatusAccepted, created{ID: b.ID, Status: StatusPending})
}

// handleGet reports a booking to the client that made it.
func (s *Service) handleGet(w http.ResponseWriter, r *http.Request) {
	client, sent, ok := s.authenticate(r)
	if !ok {
		writeUnauthorized(w, sent)
		return
	}
	b, ok := s.Booking(chi.URLParam(r, "id"))
	if !ok || b.ClientID != client.ID {
		writeProblem(w, http.StatusNotFound, "not found", "no such booking", nil)
		return
	}
	writeJSON(w, http.StatusOK, b)
}

// jsonError turns a decoding error into a sentence for the caller.
func jsonError(err error) string {
	var maxErr *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &maxErr):
		return "the body is larger than 64 KiB"
	case errors.As(err, &typeErr):
		return "field " + typeErr.Field + " must be a string"
	case errors.Is(err, io.EOF):
		return "the body is empty; send a JSON object"
	}
	return "the body is not a JSON object of known fields: " + err.Error()
}

// problem is an RFC 9457 problem details object with the field errors.
type problem struct {
	Type   string       `json:"type"`
	Title  string       `json:"title"`
	Status int          `json:"status"`
	Detail string       `json:"detail,omitempty"`
	Errors []FieldError `json:"errors,omitempty"`
}

func writeProblem(w http.ResponseWriter, status int, title, detail string, errs []FieldError) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(problem{
		Type: "about:blank", Title: title, Status: status, Detail: detail, Errors: errs,
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
