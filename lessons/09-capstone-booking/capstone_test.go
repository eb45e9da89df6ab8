package capstone

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"callbacklab/sim"
	"callbacklab/sim/booking"
)

func TestBookingNeedsSignIn(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t)
		b := w.browser(t)

		code, _, body := b.book(trip())
		assert.Equal(t, http.StatusUnauthorized, code, "POST /book from a browser that is not "+
			"signed in must answer 401 (check s.auth.user(r) first); got %d %q", code, body)
		w.wait()
		assert.Empty(t, w.svc.Bookings(), "a traveller who is not signed in must not reach "+
			"book_ticket at all")

		code, _, body = b.status("bk_0123")
		assert.Equal(t, http.StatusUnauthorized, code, "GET /bookings/bk_0123 from a browser "+
			"that is not signed in must answer 401; got %d %q", code, body)
	})
}

func TestOutcomesReachTheTraveller(t *testing.T) {
	t.Parallel()
	declined, soldOut := trip(), trip()
	declined.Set("email", "declined-card@example.com")
	soldOut.Set("to", "Atlantis")
	tests := []struct {
		name       string
		form       url.Values
		wantStatus string
	}{
		{name: "confirmed", form: trip(), wantStatus: "confirmed"},
		{name: "payment_failed", form: declined, wantStatus: "payment_failed"},
		{name: "sold_out", form: soldOut, wantStatus: "sold_out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				w := newWorld(t)
				b := w.browser(t)
				b.signIn("alice")

				code, booked, body := b.book(tt.form)
				require.Equal(t, http.StatusAccepted, code, "POST /book from a signed-in "+
					"traveller must pass the booking to book_ticket and answer 202; got %d %q",
					code, body)
				assert.Equal(t, "pending", booked.Status, "right after booking, the status is "+
					"\"pending\": book_ticket works asynchronously")
				sent, ok := w.svc.Booking(booked.BookingID)
				require.True(t, ok, "POST /book must answer with book_ticket's booking id; "+
					"book_ticket has no booking %q", booked.BookingID)
				assert.Equal(t, siteOrigin+"/booking/callback", sent.Request.CallbackURL,
					"the booking must carry the site's callback URL")

				w.wait()
				after, _ := w.svc.Booking(booked.BookingID)
				assert.Equal(t, booking.StateDelivered, after.Delivery.State, "book_ticket's "+
					"signed callback must get a 2xx from POST /booking/callback")
				code, got, body := b.status(booked.BookingID)
				require.Equal(t, http.StatusOK, code, "GET /bookings/%s: %s", booked.BookingID,
					body)
				assert.Equal(t, tt.wantStatus, got.Status, "after book_ticket called back, "+
					"GET /bookings/%s must show the outcome", booked.BookingID)

				calls := w.told.got()
				require.Len(t, calls, 1, "OnOutcome must be called once per booking, after "+
					"the callback")
				assert.Equal(t, "alice@example.com", calls[0].user.Email, "OnOutcome must be "+
					"told whose booking it is: the traveller who booked")
				assert.Equal(t, tt.wantStatus, calls[0].outcome.Status, "OnOutcome's outcome")
				assert.Equal(t, booked.BookingID, calls[0].outcome.BookingID,
					"OnOutcome's booking id")
			})
		})
	}
}

func TestOnlyTheOwnerSeesTheBooking(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t)
		alice, bob := w.browser(t), w.browser(t)
		alice.signIn("alice")
		bob.signIn("bob")

		code, booked, body := alice.book(trip())
		require.Equal(t, http.StatusAccepted, code, "alice's POST /book: %s", body)
		w.wait()

		code, _, body = bob.status(booked.BookingID)
		assert.Equal(t, http.StatusNotFound, code, "bob asked for alice's booking %s; he must "+
			"get 404, as if it did not exist. Got %d %q", booked.BookingID, code, body)
		code, _, _ = alice.status(booked.BookingID)
		assert.Equal(t, http.StatusOK, code, "alice must see her own booking")
		code, _, _ = alice.status("bk_000000000000000000000000")
		assert.Equal(t, http.StatusNotFound, code, "a booking id nobody made must answer 404")
	})
}

func TestDuplicateCallbackToldOnce(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t)
		w.svc.SetDuplicateDelivery(true) // book_ticket sends each callback twice
		b := w.browser(t)
		b.signIn("alice")

		code, booked, body := b.book(trip())
		require.Equal(t, http.StatusAccepted, code, "POST /book: %s", body)
		w.wait()

		after, _ := w.svc.Booking(booked.BookingID)
		assert.Equal(t, booking.StateDelivered, after.Delivery.State, "both copies of the "+
			"callback are genuine and must get a 2xx")
		assert.Len(t, w.told.got(), 1, "book_ticket sent the same callback (same webhook-id) "+
			"twice; the traveller must be told once")
	})
}

func TestForgedCallbackChangesNothing(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t)
		b := w.browser(t)
		b.signIn("alice")
		form := trip()
		form.Set("email", "declined-card@example.com") // book_ticket will refuse the payment
		code, booked, body := b.book(form)
		require.Equal(t, http.StatusAccepted, code, "POST /book: %s", body)

		// While book_ticket still works, an attacker claims the booking is confirmed.
		forged, _ := json.Marshal(map[string]any{
			"type": "booking.confirmed", "timestamp": time.Now().UTC(),
			"data": map[string]string{"booking_id": booked.BookingID, "status": "confirmed"},
		})
		attacker, err := booking.NewSigner("whsec_c2VjcmV0LW9mLXNvbWVib2R5LWVsc2UtMTIzNDU2")
		require.NoError(t, err)
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost,
			siteOrigin+"/booking/callback", strings.NewReader(string(forged)))
		req.Header = attacker.Headers("msg_forged", time.Now(), forged)
		req.Header.Set("Content-Type", "application/json")
		res, err := (&http.Client{Transport: sim.InMemory(w.hosts)}).Do(req)
		require.NoError(t, err)
		res.Body.Close()

		assert.Equal(t, http.StatusUnauthorized, res.StatusCode, "a callback signed with "+
			"another secret must be refused with 401")
		code, now, _ := b.status(booked.BookingID)
		assert.Equal(t, http.StatusOK, code, "GET /bookings/%s", booked.BookingID)
		assert.Equal(t, "pending", now.Status, "a forged callback must not change the booking")

		w.wait()
		_, final, _ := b.status(booked.BookingID)
		assert.Equal(t, "payment_failed", final.Status, "the genuine callback says "+
			"payment_failed, and that is what the traveller must see")
		calls := w.told.got()
		require.Len(t, calls, 1, "the traveller must be told once, of the genuine outcome")
		assert.Equal(t, "payment_failed", calls[0].outcome.Status)
	})
}

func TestInvalidBookingIsRefused(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t)
		b := w.browser(t)
		b.signIn("alice")
		form := trip()
		form.Del("to")

		code, _, body := b.book(form)
		assert.Equal(t, http.StatusBadRequest, code, "book_ticket answers 400 to a booking "+
			"with no \"to\"; the site must answer 400 too, not 202 or 5xx. Got %d %q",
			code, body)
		assert.Contains(t, body, "to", "the answer must say which field to fix (pass "+
			"book_ticket's field errors on)")
		w.wait()
		assert.Empty(t, w.told.got(), "nothing was booked, so nobody is told anything")
	})
}

func TestNewChecksTheBookingConfig(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t)
		good := Config{
			Origin: siteOrigin, Issuer: issuer, ClientID: clientID, ClientSecret: clientSecret,
			BookingURL: bookingOrigin, BookingToken: bookingToken, WebhookSecret: webhookSecret,
			HTTPClient: &http.Client{Transport: sim.InMemory(w.hosts)},
		}
		tests := map[string]func(*Config){
			"a WebhookSecret that is not whsec_ and base64": func(c *Config) {
				c.WebhookSecret = "correct horse battery staple"
			},
			"no WebhookSecret": func(c *Config) { c.WebhookSecret = "" },
			"no BookingURL":    func(c *Config) { c.BookingURL = "" },
			"no BookingToken":  func(c *Config) { c.BookingToken = "" },
		}
		for what, change := range tests {
			cfg := good
			change(&cfg)
			var err error
			noPanic(t, "New", func() { _, err = New(context.Background(), cfg) })
			assert.Error(t, err, "New must return an error when there is %s", what)
		}
	})
}
