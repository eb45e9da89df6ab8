package idp

import (
	"net/http"
	"net/http/httptest"
)

// InMemoryTransport returns an [http.RoundTripper] that answers every request
// by calling h directly, with no listener and no network. Lessons and the
// simulation use it to run providers and clients in one process, where
// testing/synctest and injected clocks control time. The request's host is
// ignored: everything goes to h.
func InMemoryTransport(h http.Handler) http.RoundTripper {
	return handlerTransport{h: h}
}

type handlerTransport struct {
	h http.Handler
}

// RoundTrip serves req with the handler and returns what it wrote.
func (t handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := req.Context().Err(); err != nil {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, err
	}

	// Turn the client request into what a server would see.
	in := req.Clone(req.Context())
	if in.Body == nil {
		in.Body = http.NoBody
	}
	in.RequestURI = req.URL.RequestURI()
	if in.Host == "" {
		in.Host = req.URL.Host
	}
	in.RemoteAddr = "127.0.0.1:1"
	in.Proto, in.ProtoMajor, in.ProtoMinor = "HTTP/1.1", 1, 1

	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, in)
	_ = in.Body.Close()

	resp := rec.Result()
	resp.Request = req
	return resp, nil
}
