package workshop

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Disclosure returns what a learner is told when joining: exactly what is shared, with whom.
func Disclosure(name, joinURL string) string {
	return fmt.Sprintf("Joining the workshop at %s as %q.\n"+
		"Shared with the instructor, for each lesson you run: its number, its state\n"+
		"(done, failing, does not compile, timed out), the name of the first failing test\n"+
		"and when it ran. Never shared: your code, file paths, test output or anything\n"+
		"else on your machine. Stop sharing with Ctrl-C, or run without --join.\n",
		joinURL, name)
}

// ServerError is an error answer from the instructor's server.
type ServerError struct {
	// Code is the HTTP status code.
	Code int
	// Msg is the server's message, meant for the learner.
	Msg string
}

func (e *ServerError) Error() string {
	return fmt.Sprintf("workshop: the instructor's server refused (%d): %s", e.Code, e.Msg)
}

// permanent reports whether sending again cannot help: the request itself must change.
func (e *ServerError) permanent() bool {
	switch e.Code {
	case http.StatusBadRequest, http.StatusForbidden, http.StatusRequestEntityTooLarge,
		http.StatusNotFound, http.StatusGone:
		return true
	}
	return false
}

// Reporter sends a learner's status to the instructor's server. Report never blocks: it keeps
// the latest status, and Run sends it, retrying with backoff while the server is away and
// joining again when the server no longer knows the learner. It is safe for concurrent use.
type Reporter struct {
	base   string // the server's root URL, without a trailing slash
	code   string
	name   string
	client *http.Client
	log    io.Writer
	creds  string // credentials file; empty keeps nothing on disk
	beat   time.Duration
	gap    time.Duration

	mu       sync.Mutex
	token    string
	shown    string // the name the room shows
	latest   Status
	pending  bool
	unlocked Unlocks
	wake     chan struct{}
	down     bool         // the last send failed; the learner has been told
	removed  *ServerError // the instructor removed the learner: nothing more is sent
}

// ReporterOption changes how a [Reporter] works.
type ReporterOption func(*Reporter)

// WithLog sends the reporter's messages for the learner (joined, connection lost, hint
// unlocked) to w. Without it they are dropped.
func WithLog(w io.Writer) ReporterOption { return func(r *Reporter) { r.log = w } }

// WithCredentialsFile keeps the learner's token, and what the instructor unlocked, in the file
// at path, so that a later "callbacklab check" or "watch" reports as the same person and
// "callbacklab hint" can honour unlocks. An empty path keeps nothing on disk. The default is
// [DefaultCredentialsPath].
func WithCredentialsFile(path string) ReporterOption {
	return func(r *Reporter) { r.creds = path }
}

// WithIntervals sets how often the status is sent when nothing changes (heartbeat, default 30
// seconds) and the shortest time between two sends (default 2 seconds).
func WithIntervals(heartbeat, minGap time.Duration) ReporterOption {
	return func(r *Reporter) { r.beat, r.gap = heartbeat, minGap }
}

// NewReporter returns a reporter for the workshop at joinURL ("http://HOST:PORT", with or
// without "/workshop"), joining with code under name. client nil means a client with a
// 10-second timeout.
func NewReporter(joinURL, code, name string, client *http.Client,
	opts ...ReporterOption) (*Reporter, error) {
	base, err := parseJoinURL(joinURL)
	if err != nil {
		return nil, err
	}
	if name, err = CleanName(name); err != nil {
		return nil, fmt.Errorf("workshop: %s", strings.TrimPrefix(err.Error(),
			ErrInvalid.Error()+": "))
	}
	if strings.TrimSpace(code) == "" {
		return nil, errors.New("workshop: a join code is required: use --code with the code " +
			"on the instructor's screen")
	}
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	r := &Reporter{base: base, code: code, name: name, client: client, log: io.Discard,
		creds: DefaultCredentialsPath(), beat: 30 * time.Second, gap: 2 * time.Second,
		wake: make(chan struct{}, 1), unlocked: Unlocks{}}
	for _, o := range opts {
		o(r)
	}
	return r, nil
}

// parseJoinURL checks a join URL and returns the server's root URL.
func parseJoinURL(s string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("workshop: the join address %q is not an http:// URL; use the "+
			"one on the instructor's screen, such as http://192.168.1.20:8080", s)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("workshop: the join address %q should be only "+
			"http://HOST:PORT", s)
	}
	p := strings.TrimSuffix(strings.TrimSuffix(u.Path, "/"), "/workshop")
	return u.Scheme + "://" + u.Host + strings.TrimSuffix(p, "/"), nil
}

// Name returns the name the room shows for the learner, once joined.
func (r *Reporter) Name() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.shown != "" {
		return r.shown
	}
	return r.name
}

// Join joins the workshop, or picks up the token kept from an earlier join with the same
// address, code and name, and tells the learner what is shared. A wrong code is a
// [*ServerError] with status 403.
func (r *Reporter) Join(ctx context.Context) error {
	fmt.Fprint(r.log, Disclosure(r.name, r.base))
	if c, ok := r.loadCredentials(); ok {
		r.mu.Lock()
		r.token, r.shown = c.Token, c.Shown
		r.unlocked = c.Unlocked
		r.mu.Unlock()
		fmt.Fprintf(r.log, "workshop: reporting as %q, as when you joined before.\n",
			SafeText(c.Shown))
		return nil
	}
	return r.join(ctx)
}

// join asks the server for a learner token.
func (r *Reporter) join(ctx context.Context) error {
	var resp joinResponse
	err := r.post(ctx, "/workshop/api/join", "", joinRequest{Code: r.code, Name: r.name}, &resp)
	if err != nil {
		return err
	}
	resp.Name = SafeText(resp.Name)
	r.mu.Lock()
	r.token, r.shown = resp.Token, resp.Name
	r.mu.Unlock()
	fmt.Fprintf(r.log, "workshop: joined as %q; your status is shared from now on.\n", resp.Name)
	r.setUnlocked(resp.Unlocked)
	return nil
}

// Report sets the status to send. It never blocks; a status not sent yet is replaced.
func (r *Reporter) Report(s Status) {
	r.mu.Lock()
	r.latest, r.pending = s, true
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Unlocked returns what the instructor has unlocked for everyone, as of the last answer.
func (r *Reporter) Unlocked() Unlocks {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(Unlocks, len(r.unlocked))
	for k, v := range r.unlocked {
		out[k] = v
	}
	return out
}

// Send sends s now and waits for the answer: for one-shot commands such as "check". It joins
// first if needed, and joins again once if the server no longer knows the learner.
func (r *Reporter) Send(ctx context.Context, s Status) error {
	r.mu.Lock()
	r.latest, r.pending = s, true
	r.mu.Unlock()
	return r.sendLatest(ctx)
}

// Run sends the latest status whenever it changes, and at least every heartbeat, until ctx
// is done. It never gives up on a server that is away: it retries with growing pauses (up to
// 30 seconds) and tells the learner once when the connection is lost and when it is back.
// Call Join first. Run returns ctx's error.
func (r *Reporter) Run(ctx context.Context) error {
	backoff := time.Duration(0)
	refused := "" // the last refusal the learner was told about
	for {
		// Wait for a new status, the heartbeat, or the end of a backoff pause.
		wait := r.beat
		if backoff > 0 {
			wait = backoff
		}
		// A new status does not cut a backoff pause short.
		wake := r.wake
		if backoff > 0 {
			wake = nil
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-wake:
		case <-t.C:
		}
		t.Stop()

		err := r.sendLatest(ctx)
		var se *ServerError
		switch {
		case err == nil:
			backoff, refused = 0, ""
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.As(err, &se) && se.permanent():
			// The same refusal is not repeated at every heartbeat.
			if se.Msg != refused {
				fmt.Fprintf(r.log, "workshop: %s\n", se.Msg)
				refused = se.Msg
			}
			backoff = 0
		default:
			backoff = nextBackoff(backoff)
		}

		// Keep a short gap between sends, so saving many files does not flood the server.
		gap := time.NewTimer(r.gap)
		select {
		case <-ctx.Done():
			gap.Stop()
			return ctx.Err()
		case <-gap.C:
		}
	}
}

// nextBackoff doubles the pause from one second to 30, with jitter so that a room of
// learners does not knock on a restarted server all at once.
func nextBackoff(d time.Duration) time.Duration {
	d = max(time.Second, 2*d)
	d = min(d, 30*time.Second)
	return d/2 + rand.N(d/2+1)
}

// sendLatest sends the latest status, joining (again) when needed.
func (r *Reporter) sendLatest(ctx context.Context) error {
	r.mu.Lock()
	if r.removed != nil {
		r.mu.Unlock()
		return r.removed
	}
	s, tok := r.latest, r.token
	r.pending = false
	r.mu.Unlock()
	if s.Lessons == nil {
		s.Lessons = []LessonStatus{}
	}

	err := r.sendOnce(ctx, tok, s)
	var se *ServerError
	if tok == "" || (errors.As(err, &se) && se.Code == http.StatusUnauthorized) {
		// The server does not know us (its room file was lost or replaced): join again.
		if err := r.join(ctx); err != nil {
			return r.noteFailure(err)
		}
		r.mu.Lock()
		tok = r.token
		r.mu.Unlock()
		err = r.sendOnce(ctx, tok, s)
	}
	if errors.As(err, &se) && se.Code == http.StatusGone {
		// Removed by the instructor: stop sharing, and forget the token, so that only running
		// a command with --join again shares again.
		r.mu.Lock()
		r.removed = se
		r.mu.Unlock()
		r.forgetCredentials()
	}
	if err != nil {
		return r.noteFailure(err)
	}

	r.mu.Lock()
	wasDown := r.down
	r.down = false
	r.mu.Unlock()
	if wasDown {
		fmt.Fprintln(r.log, "workshop: connected again; your status is shared.")
	}
	return nil
}

// sendOnce posts one report with tok.
func (r *Reporter) sendOnce(ctx context.Context, tok string, s Status) error {
	if tok == "" {
		return &ServerError{Code: http.StatusUnauthorized, Msg: "not joined"}
	}
	var resp reportResponse
	if err := r.post(ctx, "/workshop/api/report", tok, s, &resp); err != nil {
		return err
	}
	r.setUnlocked(resp.Unlocked)
	return nil
}

// noteFailure tells the learner, once, that the server cannot be reached.
func (r *Reporter) noteFailure(err error) error {
	var se *ServerError
	if errors.As(err, &se) && se.permanent() {
		return err
	}
	r.mu.Lock()
	first := !r.down
	r.down = true
	r.mu.Unlock()
	if first {
		fmt.Fprintf(r.log, "workshop: cannot reach the instructor's server (%v); "+
			"your status will be sent when it is back.\n", err)
	}
	return err
}

// setUnlocked records what is unlocked, tells the learner what is new, and keeps it.
func (r *Reporter) setUnlocked(u Unlocks) {
	u = cleanUnlocks(u)
	r.mu.Lock()
	old := r.unlocked
	r.unlocked = u
	r.mu.Unlock()
	for _, k := range sortedLessonKeys(u) {
		n, o := u[k], old[k]
		if n.Hints > o.Hints {
			fmt.Fprintf(r.log, "workshop: the instructor unlocked hint %d of lesson %s "+
				"for everyone: run 'callbacklab hint %s'.\n", n.Hints, k, k)
		}
		if n.Solution && !o.Solution {
			fmt.Fprintf(r.log, "workshop: the instructor unlocked the solution of lesson %s "+
				"for everyone: run 'callbacklab solution %s'.\n", k, k)
		}
	}
	r.saveCredentials()
}

// post sends body as JSON to path with an optional bearer token and decodes the answer.
func (r *Reporter) post(ctx context.Context, path, tok string, body, out any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("workshop: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.base+path, bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("workshop: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return fmt.Errorf("workshop: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return fmt.Errorf("workshop: reading the answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(data, &e) != nil || e.Error == "" {
			e.Error = "the server at " + r.base + " does not look like a callbacklab workshop"
		}
		return &ServerError{Code: resp.StatusCode, Msg: SafeText(e.Error)}
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("workshop: the server at %s does not look like a callbacklab "+
			"workshop: %w", r.base, err)
	}
	return nil
}
