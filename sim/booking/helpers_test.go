package booking_test

import (
	"net/http"
	"net/http/httptest"
)

// handlerTransport serves requests with a handler, in memory.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	sr := r.Clone(r.Context())
	sr.RequestURI = r.URL.RequestURI()
	t.h.ServeHTTP(rec, sr)
	if err := r.Context().Err(); err != nil {
		return nil, err
	}
	return rec.Result(), nil
}

// memClient returns a client that sends every request to h and, like
// book_ticket's own client, does not follow redirects.
func memClient(h http.Handler) *http.Client {
	return &http.Client{Transport: handlerTransport{h}, CheckRedirect: noRedirects}
}

func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
