package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"callbacklab/internal/learn"
)

// progressHeartbeat is how often the progress event stream sends a comment when nothing
// changes, so proxies and browsers keep the connection open.
const progressHeartbeat = 15 * time.Second

// progressView is the learner's progress as the progress page and its event stream show it.
// The page renders it on the server and progress.js redraws it from the events, so the two
// always agree.
type progressView struct {
	// Available is false when callbacklab runs without a lessons folder on disk.
	Available bool         `json:"available"`
	Done      int          `json:"done"`
	Total     int          `json:"total"`
	Running   bool         `json:"running"`
	Error     string       `json:"error,omitempty"`
	Lessons   []lessonView `json:"lessons"`
}

// lessonView is one lesson's line on the progress page.
type lessonView struct {
	Number    int           `json:"number"`
	Dir       string        `json:"dir"`
	Title     string        `json:"title"`
	State     string        `json:"state"`
	StateText string        `json:"stateText"`
	Href      string        `json:"href"`
	HintHref  string        `json:"hintHref"`
	Passed    int           `json:"passed"`
	Tests     int           `json:"tests"`
	Failures  []failureView `json:"failures,omitempty"`
	// MoreText counts the failures after the first, such as "and 4 more failing tests";
	// the page folds them under it so one lesson does not fill the screen.
	MoreText    string   `json:"moreText,omitempty"`
	BuildErrors []string `json:"buildErrors,omitempty"`
	Finished    string   `json:"finished,omitempty"`
	// Focus marks the lesson shown in detail: the one saved last, or the first not done.
	// Its first failure is open; every other failure starts folded.
	Focus bool `json:"focus"`
}

// First returns the failure a learner reads first: the first task's. It returns nil when
// no test failed.
func (l lessonView) First() *failureView {
	if len(l.Failures) == 0 {
		return nil
	}
	return &l.Failures[0]
}

// More returns the failures after the first.
func (l lessonView) More() []failureView {
	if len(l.Failures) < 2 {
		return nil
	}
	return l.Failures[1:]
}

// failureView is one failing test: its name and the lines worth reading (the message,
// expected and actual, the diff, or where a panic happened).
type failureView struct {
	Name  string   `json:"name"`
	Lines []string `json:"lines"`
}

// stateTexts are the states in words.
var stateTexts = map[learn.State]string{
	learn.StateNotRun:         "not run yet",
	learn.StateRunning:        "running…",
	learn.StateDone:           "done",
	learn.StateFailing:        "failing",
	learn.StateDoesNotCompile: "does not compile",
	learn.StateTimedOut:       "timed out",
}

// maxFailuresShown bounds the failing tests shown per lesson; the page says how many more
// there are.
const maxFailuresShown = 10

// newProgressView turns the tracker's progress into what the page shows.
func newProgressView(p learn.Progress) progressView {
	v := progressView{Available: true, Done: p.Done(), Total: len(p.Lessons),
		Running: p.Running, Error: p.Err, Lessons: []lessonView{}}
	focus, _ := p.FocusLesson()
	for _, l := range p.Lessons {
		lv := lessonView{
			Number: l.Number, Dir: l.Dir, Title: l.ShortTitle(), Focus: l.Dir == focus.Dir,
			State: string(l.State), StateText: stateTexts[l.State],
			Href: "/lessons/" + l.Dir, HintHref: "/lessons/" + l.Dir + "#hints",
			BuildErrors: l.BuildErrors,
		}
		lv.Passed, lv.Tests = l.Counts()
		failed := l.Failed()
		for i, f := range failed {
			if i == maxFailuresShown {
				break
			}
			lv.Failures = append(lv.Failures, failureView{Name: f.Name, Lines: learn.Shorten(f)})
		}
		lv.MoreText = moreText(len(failed)-1, len(failed)-len(lv.Failures))
		if !l.Finished.IsZero() {
			lv.Finished = l.Finished.Format(time.RFC3339)
		}
		v.Lessons = append(v.Lessons, lv)
	}
	return v
}

// moreText counts the failing tests after the first, such as "and 4 more failing tests",
// or "and 12 more failing tests; the next 9 are below" when the page leaves some out. It is
// empty when there are none.
func moreText(more, unshown int) string {
	switch {
	case more <= 0:
		return ""
	case more == 1:
		return "and 1 more failing test"
	case unshown > 0:
		return fmt.Sprintf("and %d more failing tests; the next %d are below",
			more, more-unshown)
	}
	return fmt.Sprintf("and %d more failing tests", more)
}

// serveProgress serves /progress: every lesson's state and the failures of each, updated
// live by progress.js.
func (s *Server) serveProgress(w http.ResponseWriter, r *http.Request) {
	v := progressView{Lessons: []lessonView{}}
	if s.progress != nil {
		v = newProgressView(s.progress.Progress())
	}
	body, err := s.tmpl.render("progress", pageData{
		Title:   "Progress",
		Summary: "Your lessons' tests, live: they go green as you save.",
		Nav:     "progress",
		Data:    v,
	})
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(body)
}

// serveProgressEvents serves /progress/events, a Server-Sent Events stream with one
// "progress" event (a progressView as JSON) at once and one per change.
func (s *Server) serveProgressEvents(w http.ResponseWriter, r *http.Request) {
	if s.progress == nil {
		s.serveError(w, r, &HTTPError{Code: http.StatusNotFound,
			Msg: "There is no live progress: callbacklab found no lessons folder where it started."})
		return
	}
	streamProgress(w, r, s.progress, progressHeartbeat)
}

// streamProgress writes progress events from src to w until the client goes away, with a
// comment line every heartbeat when nothing changes.
func streamProgress(w http.ResponseWriter, r *http.Request, src *learn.Tracker,
	heartbeat time.Duration) {
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)

	ch, unsubscribe := src.Subscribe()
	defer unsubscribe()
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		var err error
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
			_, err = fmt.Fprint(w, ": keep-alive\n\n")
		case p, ok := <-ch:
			if !ok {
				return
			}
			var b []byte
			if b, err = json.Marshal(newProgressView(p)); err == nil {
				_, err = fmt.Fprintf(w, "event: progress\ndata: %s\n\n", b)
			}
		}
		if err == nil {
			err = rc.Flush()
		}
		if err != nil {
			return // the client is gone
		}
	}
}
