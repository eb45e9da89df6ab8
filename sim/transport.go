package sim

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
)

// ErrNoHost is returned by the [InMemory] transport for a host it has no
// handler for, as a real transport reports a refused connection.
var ErrNoHost = errors.New("sim: no service at that host")

// InMemory returns an [http.RoundTripper] that serves each request with the
// handler registered for its URL's host ("127.0.0.1:8082"), with no network
// and no listener. The handler runs in its own goroutine and the response
// streams, so Server-Sent Events work; closing the response body cancels
// the handler's request context. Under testing/synctest the whole exchange
// runs on fake time.
func InMemory(hosts map[string]http.Handler) http.RoundTripper {
	m := make(map[string]http.Handler, len(hosts))
	for h, v := range hosts {
		m[h] = v
	}
	return memTransport(m)
}

type memTransport map[string]http.Handler

func (t memTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	h, ok := t[req.URL.Host]
	if !ok {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, fmt.Errorf("%w: %s", ErrNoHost, req.URL.Host)
	}

	// Build the request as a server would see it: its context carries none
	// of the client's values (a router's state would confuse the handler's
	// router) but ends when the client gives up.
	ctx, cancel := context.WithCancel(context.Background())
	stop := context.AfterFunc(req.Context(), cancel)
	sreq := req.Clone(ctx)
	sreq.RequestURI = req.URL.RequestURI()
	sreq.RemoteAddr = "127.0.0.1:40000"
	sreq.Proto, sreq.ProtoMajor, sreq.ProtoMinor = "HTTP/1.1", 1, 1
	if sreq.Host == "" {
		sreq.Host = req.URL.Host
	}
	if sreq.Body == nil {
		sreq.Body = http.NoBody
	}

	// Serve it; the writer signals once the status and headers are known.
	body := &pipe{signal: make(chan struct{}, 1), cancel: cancel}
	w := &memWriter{header: http.Header{}, body: body, ready: make(chan struct{})}
	go func() {
		defer func() {
			if p := recover(); p != nil && !w.started() {
				w.WriteHeader(http.StatusInternalServerError)
			}
			w.WriteHeader(http.StatusOK) // no-op when already written
			body.closeWrite()
			stop()
			cancel() // as a server does when the handler returns
			if req.Body != nil {
				req.Body.Close()
			}
		}()
		h.ServeHTTP(w, sreq)
	}()

	select {
	case <-w.ready:
	case <-req.Context().Done():
		cancel()
		return nil, req.Context().Err()
	}
	res := &http.Response{
		Status:        fmt.Sprintf("%d %s", w.status, http.StatusText(w.status)),
		StatusCode:    w.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        w.sent,
		Body:          body,
		ContentLength: -1,
		Request:       req,
	}
	if req.Method == http.MethodHead {
		res.Body = http.NoBody
		body.Close()
	}
	return res, nil
}

// memWriter is the http.ResponseWriter of an in-memory exchange.
type memWriter struct {
	header http.Header
	body   *pipe
	ready  chan struct{}

	mu     sync.Mutex
	status int
	sent   http.Header
}

func (w *memWriter) Header() http.Header { return w.header }

func (w *memWriter) started() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.status != 0
}

func (w *memWriter) WriteHeader(code int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.status != 0 || code < 200 {
		return // informational answers are not passed on
	}
	w.status = code
	w.sent = w.header.Clone()
	close(w.ready)
}

func (w *memWriter) Write(b []byte) (int, error) {
	if !w.started() {
		if w.header.Get("Content-Type") == "" {
			w.header.Set("Content-Type", http.DetectContentType(b))
		}
		w.WriteHeader(http.StatusOK)
	}
	return w.body.write(b)
}

// Flush sends the headers if they are not sent yet; data is always passed
// on at once.
func (w *memWriter) Flush() { w.WriteHeader(http.StatusOK) }

// pipe is an unbounded in-memory pipe: the handler's writes never block,
// and the client reads them as they come.
type pipe struct {
	signal chan struct{} // one pending wake-up for the reader
	cancel context.CancelFunc

	mu         sync.Mutex
	buf        bytes.Buffer
	writeDone  bool
	readClosed bool
}

func (p *pipe) wake() {
	select {
	case p.signal <- struct{}{}:
	default:
	}
}

func (p *pipe) write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.readClosed {
		return 0, io.ErrClosedPipe
	}
	n, _ := p.buf.Write(b)
	p.wake()
	return n, nil
}

func (p *pipe) closeWrite() {
	p.mu.Lock()
	p.writeDone = true
	p.mu.Unlock()
	p.wake()
}

// Read returns buffered data, waiting for the handler when there is none.
func (p *pipe) Read(b []byte) (int, error) {
	for {
		p.mu.Lock()
		switch {
		case p.readClosed:
			p.mu.Unlock()
			return 0, io.ErrClosedPipe
		case p.buf.Len() > 0:
			n, _ := p.buf.Read(b)
			p.mu.Unlock()
			return n, nil
		case p.writeDone:
			p.mu.Unlock()
			return 0, io.EOF
		}
		p.mu.Unlock()
		<-p.signal
	}
}

// Close ends the exchange from the client's side and cancels the handler.
func (p *pipe) Close() error {
	p.mu.Lock()
	p.readClosed = true
	p.buf.Reset()
	p.mu.Unlock()
	p.cancel()
	p.wake()
	return nil
}
