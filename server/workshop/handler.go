package workshop

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/httprate"
)

// Config lists what the workshop's HTTP handler is built from.
type Config struct {
	// Room is the workshop's room. Required.
	Room *Room
	// Logger hears about joins and failed requests. Nil discards.
	Logger *slog.Logger
	// JoinURLs are the addresses learners can reach the server at, shown on the instructor's
	// page in the join command (see [JoinURLs]). Empty means the address the page was asked
	// for.
	JoinURLs []string
	// ReportsPerMinute is how many reports one learner may send per minute; zero means 60.
	ReportsPerMinute int
	// JoinsPerMinute is how many joins one network address may try per minute; zero means 30.
	JoinsPerMinute int
	// LearnersPerAddr is how many learners may join from one network address; zero means
	// DefaultLearnersPerAddr. The instructor frees an address with a new join code.
	LearnersPerAddr int
	// EventInterval is the shortest time between two updates of an instructor's page; zero
	// means one second.
	EventInterval time.Duration
	// KeepAlive is how often an idle event stream sends a keep-alive; zero means 15 seconds.
	KeepAlive time.Duration
}

// instructorCookie is the cookie that holds the instructor token once the page was opened
// with it.
const instructorCookie = "callbacklab_workshop"

// maxEventStreams caps the instructor pages open at once.
const maxEventStreams = 64

// Handler serves the workshop under /workshop. It is an [http.Handler].
type Handler struct {
	room     *Room
	log      *slog.Logger
	joinURLs []string
	interval time.Duration
	keep     time.Duration
	perAddr  int
	router   chi.Router

	mu      sync.Mutex
	streams int
	closing chan struct{}
	closed  bool
}

// NewHandler returns the workshop's handler. Mount it at "/workshop" and "/workshop/*".
func NewHandler(cfg Config) *Handler {
	if cfg.Room == nil {
		panic("workshop: NewHandler needs a Room")
	}
	h := &Handler{
		room: cfg.Room, log: cfg.Logger, joinURLs: cfg.JoinURLs,
		interval: cfg.EventInterval, keep: cfg.KeepAlive, closing: make(chan struct{}),
		perAddr: cmpOr(cfg.LearnersPerAddr, DefaultLearnersPerAddr),
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.interval <= 0 {
		h.interval = time.Second
	}
	if h.keep <= 0 {
		h.keep = 15 * time.Second
	}
	h.router = h.routes(cmpOr(cfg.ReportsPerMinute, 60), cmpOr(cfg.JoinsPerMinute, 30))
	return h
}

func cmpOr(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

// routes lists every route of the workshop.
func (h *Handler) routes(reportsPerMinute, joinsPerMinute int) chi.Router {
	r := chi.NewRouter()
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "there is no such workshop address: "+r.URL.Path)
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusMethodNotAllowed, r.Method+" is not allowed on "+r.URL.Path)
	})

	tooMany := func(what string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			writeError(w, http.StatusTooManyRequests, what)
		}
	}

	// Learners.
	r.With(httprate.LimitBy(joinsPerMinute, time.Minute, keyByAddr,
		httprate.WithLimitHandler(tooMany("too many join attempts from your address; "+
			"wait a minute and check the code with your instructor")))).
		Post("/workshop/api/join", h.serveJoin)
	r.With(h.requireLearner, httprate.LimitBy(reportsPerMinute, time.Minute, keyByLearner,
		httprate.WithLimitHandler(tooMany("too many reports; your status will be sent "+
			"again shortly")))).
		Post("/workshop/api/report", h.serveReport)

	// The instructor.
	r.Get("/workshop", h.servePage)
	r.Get("/workshop/static/{name}", serveAsset)
	r.Group(func(r chi.Router) {
		r.Use(h.requireInstructor, sameOrigin)
		r.Get("/workshop/events", h.serveEvents)
		r.Get("/workshop/api/room", h.serveRoom)
		r.Post("/workshop/api/unlock", h.serveUnlock)
		r.Post("/workshop/api/remove", h.serveRemove)
		r.Post("/workshop/api/newcode", h.serveNewCode)
	})
	return r
}

// sameOrigin refuses cross-site POSTs (CSRF) with a JSON error; GETs go through.
func sameOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusForbidden, "this request came from another site; use the "+
			"instructor's page itself")
	}))
	return cop.Handler(next)
}

// ServeHTTP serves the workshop.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.router.ServeHTTP(w, r)
}

// Close ends the instructor pages' event streams, so a server can shut down without waiting
// for them. The pages reconnect by themselves to the next server.
func (h *Handler) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.closed {
		h.closed = true
		close(h.closing)
	}
}

// writeJSON writes v as the JSON body with the given status.
func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError writes {"error": msg}.
func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}

// decodeBody decodes a JSON body of at most limit bytes into v, answering the client itself
// when it cannot; it reports whether v was filled. Anything after the JSON value is refused.
func decodeBody(w http.ResponseWriter, r *http.Request, limit int64, what string, v any) bool {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	dec := json.NewDecoder(r.Body)
	err := dec.Decode(v)
	if err == nil && dec.Decode(&json.RawMessage{}) != io.EOF {
		err = errTrailing
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf(
			"the %s is larger than %d bytes, the most the workshop accepts", what, limit))
		return false
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("the %s is not the JSON the "+
			"workshop expects: %s", what, describeJSONError(err)))
		return false
	}
	return true
}

// errTrailing means a body held more than one JSON value.
var errTrailing = errors.New("workshop: trailing data")

// describeJSONError says what is wrong with a body in words a person can act on, without
// the names of Go types.
func describeJSONError(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return "the body is empty; send a JSON object"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the JSON ends too early"
	case errors.Is(err, errTrailing):
		return "there is more after the JSON object; send one object only"
	case errors.As(err, &syn):
		return fmt.Sprintf("there is a syntax error at byte %d", syn.Offset)
	case errors.As(err, &typ):
		want := jsonKind(typ.Type.Kind())
		if typ.Field == "" {
			return fmt.Sprintf("send a JSON %s, not %s", want, withArticle(typ.Value))
		}
		return fmt.Sprintf("the field %q must be a %s, not %s", typ.Field, want,
			withArticle(typ.Value))
	default:
		return "it could not be read"
	}
}

// withArticle returns "a string", "an array".
func withArticle(s string) string {
	if s != "" && strings.ContainsRune("aeiou", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}

// jsonKind names, as JSON does, the kind of value a Go kind is decoded from.
func jsonKind(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean (true or false)"
	case reflect.Slice, reflect.Array:
		return "list"
	case reflect.Map, reflect.Struct:
		return "object"
	case reflect.Float32, reflect.Float64:
		return "number"
	default:
		return "whole number"
	}
}

// writeRoomError answers with the message and status for an error from the room.
func (h *Handler) writeRoomError(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, ErrInvalid):
		writeError(w, http.StatusBadRequest, strings.TrimPrefix(err.Error(), ErrInvalid.Error()+": "))
	case errors.Is(err, ErrBadCode):
		writeError(w, http.StatusForbidden, "that join code is not this workshop's; "+
			"check the code on the instructor's screen")
	case errors.Is(err, ErrUnknownLearner):
		writeError(w, http.StatusUnauthorized, "this workshop does not know your token; "+
			"join again with the code")
	case errors.Is(err, ErrRemoved):
		writeError(w, http.StatusGone, "the instructor removed you from the workshop, so "+
			"your status is no longer shared; run the command with --join again to rejoin")
	case errors.Is(err, ErrAddrFull):
		writeError(w, http.StatusConflict, fmt.Sprintf("%d people already joined from your "+
			"address, the most one address may hold; ask your instructor", h.perAddr))
	case errors.Is(err, ErrRoomFull):
		writeError(w, http.StatusServiceUnavailable, fmt.Sprintf(
			"the workshop is full (%d people); ask your instructor", MaxLearners))
	default:
		h.log.Error("workshop request failed", "err", err)
		writeError(w, http.StatusInternalServerError, "something went wrong on the "+
			"instructor's server; try again")
	}
}

// keyByAddr keys rate limits by the client's network address. The workshop is reached
// directly on the room's network, so forwarding headers are not trusted.
func keyByAddr(r *http.Request) (string, error) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr, nil
	}
	return httprate.CanonicalizeIP(host), nil
}

type learnerKey struct{}

// keyByLearner keys rate limits by the learner that requireLearner found.
func keyByLearner(r *http.Request) (string, error) {
	id, _ := r.Context().Value(learnerKey{}).(string)
	return "learner:" + id, nil
}

// bearer returns the token of an "Authorization: Bearer" header.
func bearer(r *http.Request) string {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}

// requireLearner lets through requests with a learner token the room knows.
func (h *Handler) requireLearner(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok := bearer(r)
		if tok == "" {
			writeError(w, http.StatusUnauthorized, "a report needs the learner token from "+
				"joining, as an Authorization: Bearer header")
			return
		}
		id, err := h.room.Authenticate(tok)
		if err != nil {
			h.writeRoomError(w, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), learnerKey{}, id)))
	})
}

// instructorToken returns the instructor token a request carries, from its Authorization
// header or its cookie.
func instructorToken(r *http.Request) string {
	if tok := bearer(r); tok != "" {
		return tok
	}
	if c, err := r.Cookie(instructorCookie); err == nil {
		return c.Value
	}
	return ""
}

// requireInstructor lets through requests that carry the instructor token.
func (h *Handler) requireInstructor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok := instructorToken(r)
		switch {
		case tok == "":
			writeError(w, http.StatusUnauthorized, "this is for the instructor: open the "+
				"link that 'callbacklab serve --workshop' printed, which holds the token")
		case !h.room.CheckInstructor(tok):
			writeError(w, http.StatusForbidden, "the instructor token is wrong: open the "+
				"link that 'callbacklab serve --workshop' printed")
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// serveJoin adds a learner to the room.
func (h *Handler) serveJoin(w http.ResponseWriter, r *http.Request) {
	var req joinRequest
	if !decodeBody(w, r, maxJoinBytes, "join request", &req) {
		return
	}
	addr, _ := keyByAddr(r)
	id, tok, name, err := h.room.JoinFrom(req.Code, req.Name, addr, h.perAddr)
	if err != nil {
		h.writeRoomError(w, err)
		return
	}
	h.log.Info("workshop: learner joined", "name", name, "id", id)
	writeJSON(w, http.StatusOK, joinResponse{ID: id, Token: tok, Name: name,
		Unlocked: h.room.Unlocked()})
}

// serveReport records a learner's status.
func (h *Handler) serveReport(w http.ResponseWriter, r *http.Request) {
	var s Status
	if !decodeBody(w, r, maxReportBytes, "report", &s) {
		return
	}
	id, _ := r.Context().Value(learnerKey{}).(string)
	u, err := h.room.Report(id, s)
	if err != nil {
		h.writeRoomError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, reportResponse{Unlocked: u})
}

// serveRoom answers with the room's view.
func (h *Handler) serveRoom(w http.ResponseWriter, r *http.Request) {
	b, _ := h.room.ViewJSON()
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(b)
}

// serveUnlock opens the next hint or the solution of a lesson for everyone.
func (h *Handler) serveUnlock(w http.ResponseWriter, r *http.Request) {
	var req unlockRequest
	if !decodeBody(w, r, 1<<10, "unlock request", &req) {
		return
	}
	u, err := h.room.Unlock(req.Lesson, req.What)
	if err != nil {
		h.writeRoomError(w, err)
		return
	}
	h.log.Info("workshop: unlocked for everyone", "lesson", req.Lesson, "hints", u.Hints,
		"solution", u.Solution)
	writeJSON(w, http.StatusOK, map[string]any{"lesson": req.Lesson, "unlocked": u})
}

// serveRemove takes a learner out of the room.
func (h *Handler) serveRemove(w http.ResponseWriter, r *http.Request) {
	var req struct {
		ID string `json:"id"`
	}
	if !decodeBody(w, r, 1<<10, "remove request", &req) {
		return
	}
	if !h.room.Remove(req.ID) {
		writeError(w, http.StatusNotFound, "no learner has that id; they may have been "+
			"removed already")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"removed": req.ID})
}

// newCodeRequest is the body of POST /workshop/api/newcode.
type newCodeRequest struct {
	// RemoveIdleMinutes, when positive, also removes the learners who have not reported for
	// that many minutes.
	RemoveIdleMinutes int `json:"removeIdleMinutes"`
	// RemoveAddr, when not empty, also removes every learner who joined from that address.
	RemoveAddr string `json:"removeAddr"`
}

// serveNewCode gives the room a new join code, and removes the learners the request names.
func (h *Handler) serveNewCode(w http.ResponseWriter, r *http.Request) {
	var req newCodeRequest
	if !decodeBody(w, r, 1<<10, "new code request", &req) {
		return
	}
	if req.RemoveIdleMinutes < 0 || req.RemoveIdleMinutes > 7*24*60 {
		writeError(w, http.StatusBadRequest, "removeIdleMinutes must be from 0 (keep "+
			"everyone) to 10080 (a week)")
		return
	}
	code, removed := h.room.NewCode(NewCodeOptions{
		IdleFor: time.Duration(req.RemoveIdleMinutes) * time.Minute,
		Addr:    strings.TrimSpace(req.RemoveAddr),
	})
	if removed == nil {
		removed = []string{}
	}
	h.log.Info("workshop: new join code", "removed", len(removed))
	writeJSON(w, http.StatusOK, map[string]any{"code": code, "removed": removed})
}
