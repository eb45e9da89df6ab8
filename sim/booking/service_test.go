package booking_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"callbacklab/sim/booking"
)

const (
	siteToken  = "travel-site-token-0123456789"
	otherToken = "other-client-token-0123456789"
)

// callbacks records the verified callbacks the travel site receives.
type callbacks struct {
	mu     sync.Mutex
	events []booking.Event
	fail   int // answer 500 to this many attempts first
}

func (c *callbacks) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	v, _ := booking.NewVerifier(kaSecret, nil)
	body, _ := io.ReadAll(r.Body)
	if _, err := v.Verify(r.Header, body); err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fail > 0 {
		c.fail--
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	var ev booking.Event
	_ = json.Unmarshal(body, &ev)
	c.events = append(c.events, ev)
	w.WriteHeader(http.StatusNoContent)
}

func newService(t *testing.T, cb http.Handler) *booking.Service {
	t.Helper()
	svc, err := booking.New(booking.Config{
		Clients: []booking.Client{
			{ID: "travel", Token: siteToken, Origins: []string{"http://127.0.0.1:8080"},
				Secret: kaSecret},
			{ID: "other", Token: otherToken, Origins: []string{"http://127.0.0.1:9090"},
				Secret: kaSecret},
		},
		Delay:      2 * time.Second,
		Guard:      booking.Guard{Allow: []netip.AddrPort{netip.MustParseAddrPort("127.0.0.1:8080")}},
		HTTPClient: memClient(cb),
		Policy:     booking.Policy{MaxAttempts: 3},
	})
	require.NoError(t, err)
	t.Cleanup(func() { svc.Close() })
	return svc
}

func validRequest() booking.Request {
	return booking.Request{
		Name: "Alice Traveller", Email: "alice@example.com", Phone: "+44 20 7946 0958",
		From: "London", To: "Paris", Date: time.Now().AddDate(0, 0, 7).Format(time.DateOnly),
		Time: "09:30", TicketType: "economy",
		CallbackURL: "http://127.0.0.1:8080/booking/callback",
	}
}

func post(t *testing.T, svc http.Handler, token string, body any) *httptest.ResponseRecorder {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	r := httptest.NewRequest("POST", "/bookings", strings.NewReader(string(b)))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Authorization", "Bearer "+token)
	w := httptest.NewRecorder()
	svc.ServeHTTP(w, r)
	return w
}

func TestServiceConfirmsAndCallsBack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cb := &callbacks{}
		svc := newService(t, cb)
		w := post(t, svc, siteToken, validRequest())
		require.Equal(t, http.StatusAccepted, w.Code, "a valid booking: %s", w.Body)
		var got struct{ ID, Status string }
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &got))
		assert.Equal(t, "pending", got.Status, "the answer comes before the work")

		b, _ := svc.Booking(got.ID)
		assert.Equal(t, booking.StatusPending, b.Status, "still pending before the delay")
		time.Sleep(4 * time.Second) // fake time: seat and payment
		synctest.Wait()

		b, _ = svc.Booking(got.ID)
		assert.Equal(t, booking.Confirmed, b.Status)
		assert.Equal(t, booking.StateDelivered, b.Delivery.State, "the callback should be delivered")
		require.Len(t, cb.events, 1, "the travel site should receive one callback")
		assert.Equal(t, "booking.confirmed", cb.events[0].Type)
		assert.Equal(t, got.ID, cb.events[0].Data.BookingID)
	})
}

func TestServiceOutcomes(t *testing.T) {
	tests := []struct {
		name   string
		forced booking.Outcome
		edit   func(*booking.Request)
		want   booking.Outcome
	}{
		{"soldOutByRule", "", func(r *booking.Request) { r.To = "Atlantis" }, booking.SoldOut},
		{"declinedByRule", "", func(r *booking.Request) { r.Email = "decline@example.com" },
			booking.PaymentFailed},
		{"forcedPaymentFailed", booking.PaymentFailed, nil, booking.PaymentFailed},
		{"forcedSoldOut", booking.SoldOut, nil, booking.SoldOut},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				cb := &callbacks{}
				svc := newService(t, cb)
				svc.SetOutcome(tt.forced)
				req := validRequest()
				if tt.edit != nil {
					tt.edit(&req)
				}
				require.Equal(t, http.StatusAccepted, post(t, svc, siteToken, req).Code)
				svc.Wait()
				require.Len(t, cb.events, 1, "one callback")
				assert.Equal(t, tt.want, cb.events[0].Data.Status)
				assert.NotEmpty(t, cb.events[0].Data.Reason, "a failure should say why")
			})
		})
	}
}

func TestServiceRetriesWithSameIDAndGivesUpVisibly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cb := &callbacks{fail: 5}
		svc := newService(t, cb)
		w := post(t, svc, siteToken, validRequest())
		require.Equal(t, http.StatusAccepted, w.Code)
		svc.Wait()
		bs := svc.Bookings()
		require.Len(t, bs, 1)
		assert.Equal(t, booking.StateFailed, bs[0].Delivery.State,
			"after the last attempt the delivery should be marked failed, not dropped")
		assert.Len(t, bs[0].Delivery.Attempts, 3, "MaxAttempts attempts should be recorded")

		// The failure is visible to the client through GET /bookings/{id}.
		r := httptest.NewRequest("GET", "/bookings/"+bs[0].ID, nil)
		r.Header.Set("Authorization", "Bearer "+siteToken)
		rec := httptest.NewRecorder()
		svc.ServeHTTP(rec, r)
		assert.Contains(t, rec.Body.String(), `"state":"failed"`)
	})
}

func TestServiceRetryAfter500IsProcessedOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cb := &callbacks{fail: 1}
		svc := newService(t, cb)
		require.Equal(t, http.StatusAccepted, post(t, svc, siteToken, validRequest()).Code)
		svc.Wait()
		bs := svc.Bookings()
		require.Len(t, bs, 1)
		require.Len(t, bs[0].Delivery.Attempts, 2, "a 500 should be followed by one retry")
		assert.Equal(t, http.StatusInternalServerError, bs[0].Delivery.Attempts[0].Status)
		assert.Len(t, cb.events, 1, "the retried message should be processed once")
	})
}

func TestServiceGoneDisablesEndpoint(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		gone := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusGone)
		})
		svc := newService(t, gone)
		require.Equal(t, http.StatusAccepted, post(t, svc, siteToken, validRequest()).Code)
		svc.Wait()
		assert.Equal(t, booking.StateDisabled, svc.Bookings()[0].Delivery.State,
			"410 Gone should disable the endpoint")
		assert.Len(t, svc.Bookings()[0].Delivery.Attempts, 1, "and stop retrying at once")

		w := post(t, svc, siteToken, validRequest())
		assert.Equal(t, http.StatusBadRequest, w.Code, "a disabled endpoint is refused")
		assert.Contains(t, w.Body.String(), "410 Gone")

		svc.EnableEndpoint(validRequest().CallbackURL)
		assert.Equal(t, http.StatusAccepted, post(t, svc, siteToken, validRequest()).Code,
			"EnableEndpoint should let it register again")
	})
}

func TestServiceDuplicateDelivery(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var ids []string
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			defer mu.Unlock()
			ids = append(ids, r.Header.Get("webhook-id"))
		})
		svc := newService(t, h)
		svc.SetDuplicateDelivery(true)
		post(t, svc, siteToken, validRequest())
		svc.Wait()
		require.Len(t, ids, 2, "the callback should be delivered twice")
		assert.Equal(t, ids[0], ids[1], "both deliveries should carry the same webhook-id")
	})
}

func TestServiceRejectsInvalidInput(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		svc := newService(t, &callbacks{}) // synctest's clock starts on 2000-01-01
		req := booking.Request{Name: " ", Email: "not-an-email", Phone: "12", From: "Paris",
			To: "paris", Date: "1999-12-31", Time: "25:00", TicketType: "gold",
			CallbackURL: "file:///etc/passwd"}
		w := post(t, svc, siteToken, req)
		require.Equal(t, http.StatusBadRequest, w.Code)
		assert.Equal(t, "application/problem+json", w.Header().Get("Content-Type"))
		var p struct{ Errors []booking.FieldError }
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &p))
		var fields []string
		for _, e := range p.Errors {
			fields = append(fields, e.Field)
		}
		want := []string{"name", "email", "phone", "to", "date", "time", "ticket_type",
			"callback_url"}
		if diff := cmp.Diff(want, fields); diff != "" {
			t.Errorf("one message per bad field (-want +got):\n%s", diff)
		}
	})
}

func TestServiceRefusesCallbackURLs(t *testing.T) {
	refused := []string{
		"http://169.254.169.254/latest/meta-data/",
		"http://10.0.0.5/",
		"http://[::1]/",
		"http://0.0.0.0/",
		"file:///etc/passwd",
		"http://127.0.0.1:9090/booking/callback",  // the other client's origin
		"https://travel.example/booking/callback", // not a registered origin
	}
	for _, u := range refused {
		t.Run(u, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				svc := newService(t, &callbacks{})
				req := validRequest()
				req.CallbackURL = u
				w := post(t, svc, siteToken, req)
				assert.Equal(t, http.StatusBadRequest, w.Code, "callback URL %q should be refused", u)
				assert.Contains(t, w.Body.String(), `"field":"callback_url"`)
			})
		})
	}
}

func TestServiceAuth(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		svc := newService(t, &callbacks{})
		w := post(t, svc, "wrong-token-0123456789", validRequest())
		assert.Equal(t, http.StatusUnauthorized, w.Code, "an unknown token is refused")
		assert.Contains(t, w.Header().Get("WWW-Authenticate"), "Bearer")

		// Another client cannot read the travel site's booking.
		w = post(t, svc, siteToken, validRequest())
		var got struct{ ID string }
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &got))
		r := httptest.NewRequest("GET", "/bookings/"+got.ID, nil)
		r.Header.Set("Authorization", "Bearer "+otherToken)
		rec := httptest.NewRecorder()
		svc.ServeHTTP(rec, r)
		assert.Equal(t, http.StatusNotFound, rec.Code, "bookings are private to their client")
	})
}

func FuzzCreateBooking(f *testing.F) {
	f.Add([]byte(`{"name":"A","email":"a@b.c","callback_url":"http://127.0.0.1:8080/"}`))
	f.Add([]byte(`{"name":1}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"date":"2099-02-30","time":"24:00"} {}`))
	svc, err := booking.New(booking.Config{
		Clients: []booking.Client{{ID: "travel", Token: siteToken,
			Origins: []string{"http://127.0.0.1:8080"}, Secret: kaSecret}},
		Delay: -1, HTTPClient: memClient(http.NotFoundHandler()),
	})
	require.NoError(f, err)
	defer svc.Close()
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", "/bookings", strings.NewReader(string(body)))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", "Bearer "+siteToken)
		w := httptest.NewRecorder()
		svc.ServeHTTP(w, r)
		if w.Code != http.StatusAccepted && w.Code != http.StatusBadRequest {
			t.Fatalf("POST /bookings %q answered %d; want 202 or 400", body, w.Code)
		}
	})
}
