package booking_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"callbacklab/sim/booking"
)

// soakBookings is how many bookings one soak run delivers.
const soakBookings = 10_000

// soakReceiver verifies each delivery, fails 3 attempts in 10 on purpose,
// and counts how often each webhook id was processed.
type soakReceiver struct {
	verifier  *booking.Verifier
	attempts  atomic.Int64
	failed    atomic.Int64
	mu        sync.Mutex
	processed map[string]int
}

func (rv *soakReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	id, err := rv.verifier.Verify(r.Header, body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	if n := rv.attempts.Add(1); n%10 < 3 {
		rv.failed.Add(1)
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	rv.mu.Lock()
	rv.processed[id]++
	rv.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// BenchmarkSoak delivers 10,000 bookings' callbacks over loopback while the
// receiver fails 30% of the attempts, and checks that none was lost and none
// processed twice. The bare sub-benchmark posts the same number of requests
// with plain net/http, with as many connections, for comparison.
func BenchmarkSoak(b *testing.B) {
	b.Run("callbacks", benchSoakCallbacks)
	b.Run("bare-post-loop", benchBarePosts)
}

func benchSoakCallbacks(b *testing.B) {
	for b.Loop() {
		rv := &soakReceiver{processed: map[string]int{}}
		rv.verifier, _ = booking.NewVerifier(kaSecret, nil)
		srv := httptest.NewServer(rv)
		addr := netip.MustParseAddrPort(strings.TrimPrefix(srv.URL, "http://"))
		svc, err := booking.New(booking.Config{
			Clients: []booking.Client{{ID: "travel", Token: siteToken,
				Origins: []string{srv.URL}, Secret: kaSecret}},
			Delay: -1, Guard: booking.Guard{Allow: []netip.AddrPort{addr}},
			Policy: booking.Policy{MaxAttempts: 15, Base: time.Millisecond,
				Max: 20 * time.Millisecond, Timeout: 10 * time.Second},
		})
		if err != nil {
			b.Fatal(err)
		}

		start := time.Now()
		req := validRequest()
		req.CallbackURL = srv.URL + "/booking/callback"
		body, _ := json.Marshal(req)
		for range soakBookings {
			r := httptest.NewRequest("POST", "/bookings", bytes.NewReader(body))
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("Authorization", "Bearer "+siteToken)
			w := httptest.NewRecorder()
			svc.ServeHTTP(w, r)
			if w.Code != http.StatusAccepted {
				b.Fatalf("POST /bookings answered %d: %s", w.Code, w.Body)
			}
		}
		svc.Wait()
		elapsed := time.Since(start)

		// None lost, none processed twice.
		for _, bk := range svc.Bookings() {
			if bk.Delivery.State != booking.StateDelivered {
				b.Fatalf("booking %s: delivery %s", bk.ID, bk.Delivery)
			}
		}
		if len(rv.processed) != soakBookings {
			b.Fatalf("the receiver processed %d distinct messages, want %d",
				len(rv.processed), soakBookings)
		}
		for id, n := range rv.processed {
			if n != 1 {
				b.Fatalf("message %s was processed %d times", id, n)
			}
		}
		b.ReportMetric(float64(soakBookings)/elapsed.Seconds(), "deliveries/s")
		b.ReportMetric(float64(rv.failed.Load())/float64(rv.attempts.Load())*100, "%failed")
		svc.Close()
		srv.Close()
	}
}

func benchBarePosts(b *testing.B) {
	for b.Loop() {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			w.WriteHeader(http.StatusNoContent)
		}))
		client := &http.Client{Transport: &http.Transport{
			MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64,
		}}
		body := []byte(`{"type":"booking.confirmed","data":{"booking_id":"bk_1"}}`)
		start := time.Now()
		var next, errs atomic.Int64
		var wg sync.WaitGroup
		for range 64 {
			wg.Go(func() {
				for next.Add(1) <= soakBookings {
					res, err := client.Post(srv.URL, "application/json", bytes.NewReader(body))
					if err != nil {
						errs.Add(1)
						continue
					}
					_, _ = io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
			})
		}
		wg.Wait()
		if n := errs.Load(); n > 0 {
			b.Fatalf("%d bare POSTs failed", n)
		}
		b.ReportMetric(float64(soakBookings)/time.Since(start).Seconds(), "posts/s")
		client.CloseIdleConnections()
		srv.Close()
	}
}
