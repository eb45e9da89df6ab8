package receiving

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"callbacklab/sim"
	"callbacklab/sim/booking"
)

func TestNewReceiver(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		secret  string
		deliver func(Event)
	}{
		{name: "no_prefix_and_not_base64", secret: "correct horse battery staple",
			deliver: func(Event) {}},
		{name: "prefix_but_not_base64", secret: "whsec_%%%", deliver: func(Event) {}},
		{name: "empty_secret", secret: "", deliver: func(Event) {}},
		{name: "nil_deliver", secret: secret, deliver: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var err error
			noPanic(t, "NewReceiver", func() { _, err = NewReceiver(tt.secret, nil, tt.deliver) })
			assert.Error(t, err, "NewReceiver(%q, nil, deliver) must return an error: a secret "+
				"is \"whsec_\" followed by base64 (decode it once, here), and deliver must not "+
				"be nil (deliver is nil here: %t)", tt.secret, tt.deliver == nil)
		})
	}
}

// travelToken is the travel site's bearer token at the simulated book_ticket.
const travelToken = "travel-site-token-0123456789"

// startBookTicket runs the simulated book_ticket, which calls back the handler in memory.
// It must be called inside a synctest bubble, so its delays and retries take no real time.
func startBookTicket(t *testing.T, receiver http.Handler) *booking.Service {
	t.Helper()
	svc, err := booking.New(booking.Config{
		Clients: []booking.Client{{
			ID: "travel", Token: travelToken, Secret: secret,
			Origins: []string{"https://travel.example"},
		}},
		HTTPClient: &http.Client{
			Transport:     sim.InMemory(map[string]http.Handler{"travel.example": receiver}),
			CheckRedirect: booking.NoRedirects,
		},
	})
	require.NoError(t, err, "test setup: the simulated book_ticket must start")
	return svc
}

// book sends one booking to book_ticket as the travel site does and returns its id.
func book(t *testing.T, svc *booking.Service, req booking.Request) string {
	t.Helper()
	req.CallbackURL = "https://travel.example/booking/callback"
	body, err := json.Marshal(req)
	require.NoError(t, err)
	r := httptest.NewRequest(http.MethodPost, "/bookings", bytes.NewReader(body))
	r.Header.Set("Authorization", "Bearer "+travelToken)
	r.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	svc.ServeHTTP(rec, r)
	require.Equal(t, http.StatusAccepted, rec.Code, "test setup: book_ticket must accept the "+
		"booking; it said %s", rec.Body)
	var created struct{ ID string }
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &created))
	return created.ID
}

// describeAttempts lists what book_ticket saw on each attempt, for failure messages.
func describeAttempts(d booking.Delivery) string {
	var parts []string
	for i, a := range d.Attempts {
		s := fmt.Sprintf("attempt %d: ", i+1)
		if a.Status != 0 {
			s += fmt.Sprintf("%d %s", a.Status, http.StatusText(a.Status))
		} else {
			s += a.Error
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

func TestBookTicketDelivers(t *testing.T) {
	t.Parallel()
	trip := booking.Request{
		Name: "Ana Silva", Email: "ana@example.com", Phone: "+351 912 345 678",
		From: "Lisbon", To: "Porto", Date: "2026-12-24", Time: "09:30", TicketType: "economy",
	}
	declined, soldOut := trip, trip
	declined.Email = "declined-card@example.com"
	soldOut.To = "Atlantis"

	tests := []struct {
		name       string
		request    booking.Request
		wantType   string
		wantStatus string
	}{
		{name: "confirmed", request: trip, wantType: "booking.confirmed", wantStatus: "confirmed"},
		{name: "payment_failed", request: declined, wantType: "booking.payment_failed",
			wantStatus: "payment_failed"},
		{name: "sold_out", request: soldOut, wantType: "booking.sold_out", wantStatus: "sold_out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				rcv, box := newReceiver(t, nil)
				svc := startBookTicket(t, rcv)
				defer svc.Close()

				id := book(t, svc, tt.request)
				svc.Wait()
				rcv.Wait()

				b, _ := svc.Booking(id)
				assert.Equal(t, booking.StateDelivered, b.Delivery.State, "book_ticket POSTed "+
					"the outcome of booking %s, signed with the shared secret, and your "+
					"handler must answer 204 to it; what it saw: %s", id,
					describeAttempts(b.Delivery))
				got := box.got()
				require.Len(t, got, 1, "a genuine callback from book_ticket must reach "+
					"deliver exactly once; it was delivered %d times", len(got))
				assert.Equal(t, tt.wantType, got[0].Type, "the event's type")
				assert.Equal(t, id, got[0].Data.BookingID, "the event's data.booking_id must "+
					"be the id book_ticket gave when it accepted the booking")
				assert.Equal(t, tt.wantStatus, got[0].Data.Status, "the event's data.status")
			})
		})
	}
}

func TestBookTicketDuplicateDelivery(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		rcv, box := newReceiver(t, nil)
		svc := startBookTicket(t, rcv)
		defer svc.Close()
		svc.SetDuplicateDelivery(true) // book_ticket sends every message twice

		id := book(t, svc, booking.Request{
			Name: "Ana Silva", Email: "ana@example.com", Phone: "+351 912 345 678",
			From: "Lisbon", To: "Porto", Date: "2026-12-24", Time: "09:30", TicketType: "economy",
		})
		svc.Wait()
		rcv.Wait()

		b, _ := svc.Booking(id)
		assert.Equal(t, booking.StateDelivered, b.Delivery.State, "book_ticket sent the same "+
			"message (same webhook-id) twice; both copies are genuine and must get a 2xx, or "+
			"book_ticket keeps retrying. What it saw: %s", describeAttempts(b.Delivery))
		assert.Len(t, box.got(), 1, "the same webhook-id arrived twice; deliver must run "+
			"once: remember the webhook-ids you have accepted and skip the ones you know")
	})
}

func TestRefusesForgeries(t *testing.T) {
	t.Parallel()
	tampered := bytes.Replace(confirmedBody, []byte(`"bk_7f3a"`), []byte(`"bk_0666"`), 1)
	tests := []struct {
		name   string
		header func(t *testing.T) http.Header
		body   []byte
	}{
		{name: "no_webhook_headers", body: confirmedBody,
			header: func(t *testing.T) http.Header { return http.Header{} }},
		{name: "signature_missing", body: confirmedBody, header: func(t *testing.T) http.Header {
			h := signed(t, secret, "msg_1", sentAt, confirmedBody)
			h.Del("webhook-signature")
			return h
		}},
		{name: "signed_with_another_secret", body: confirmedBody,
			header: func(t *testing.T) http.Header {
				return signed(t, otherSecret, "msg_1", sentAt, confirmedBody)
			}},
		{name: "body_changed_after_signing", body: tampered,
			header: func(t *testing.T) http.Header {
				return signed(t, secret, "msg_1", sentAt, confirmedBody)
			}},
		{name: "signature_of_another_webhook_id", body: confirmedBody,
			header: func(t *testing.T) http.Header {
				h := signed(t, secret, "msg_1", sentAt, confirmedBody)
				h.Set("webhook-id", "msg_2")
				return h
			}},
		{name: "timestamp_changed_after_signing", body: confirmedBody,
			header: func(t *testing.T) http.Header {
				h := signed(t, secret, "msg_1", sentAt.Add(-time.Minute), confirmedBody)
				h.Set("webhook-timestamp", fmt.Sprint(sentAt.Unix()))
				return h
			}},
		{name: "unknown_signature_version", body: confirmedBody,
			header: func(t *testing.T) http.Header {
				h := signed(t, secret, "msg_1", sentAt, confirmedBody)
				h.Set("webhook-signature", strings.Replace(h.Get("webhook-signature"),
					"v1,", "v0,", 1))
				return h
			}},
		{name: "garbage_signature", body: confirmedBody, header: func(t *testing.T) http.Header {
			h := signed(t, secret, "msg_1", sentAt, confirmedBody)
			h.Set("webhook-signature", "v1,bm90IGEgc2lnbmF0dXJl v1,*** v1")
			return h
		}},
		{name: "timestamp_not_a_number", body: confirmedBody,
			header: func(t *testing.T) http.Header {
				h := signed(t, secret, "msg_1", sentAt, confirmedBody)
				h.Set("webhook-timestamp", "Thu, 24 Dec 2026 08:15:00 GMT")
				return h
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rcv, box := newReceiver(t, fixedClock(sentAt))
			hdr := tt.header(t)

			rec := post(t, rcv, http.MethodPost, hdr, tt.body)
			rcv.Wait()

			assert.Equal(t, http.StatusUnauthorized, rec.Code, "a forged callback (%s) with "+
				"headers %v and body %s must be refused with 401 Unauthorized; got %d %q",
				strings.ReplaceAll(tt.name, "_", " "), hdr, tt.body, rec.Code,
				strings.TrimSpace(rec.Body.String()))
			assert.Empty(t, box.got(), "a forged callback must never reach deliver")
		})
	}
}

func TestValidSignatureAmongSeveral(t *testing.T) {
	t.Parallel()
	rcv, box := newReceiver(t, fixedClock(sentAt))
	hdr := signed(t, secret, "msg_rotating", sentAt, confirmedBody)
	old := signed(t, otherSecret, "msg_rotating", sentAt, confirmedBody).Get("webhook-signature")
	hdr.Set("webhook-signature", old+" "+hdr.Get("webhook-signature"))

	rec := post(t, rcv, http.MethodPost, hdr, confirmedBody)
	rcv.Wait()

	assert.Equal(t, http.StatusNoContent, rec.Code, "while a secret is rotated, "+
		"webhook-signature holds several space-separated signatures (here %q); the message is "+
		"genuine when any one of them matches. Want 204, got %d %q",
		hdr.Get("webhook-signature"), rec.Code, strings.TrimSpace(rec.Body.String()))
	assert.Len(t, box.got(), 1, "the genuine message must reach deliver once")
}

func TestReplayWindow(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		signedAt time.Duration // relative to the receiver's clock
		wantCode int
	}{
		{name: "just_now", signedAt: 0, wantCode: http.StatusNoContent},
		{name: "four_minutes_ago", signedAt: -4 * time.Minute, wantCode: http.StatusNoContent},
		{name: "four_minutes_ahead", signedAt: 4 * time.Minute, wantCode: http.StatusNoContent},
		{name: "six_minutes_ago", signedAt: -6 * time.Minute, wantCode: http.StatusUnauthorized},
		{name: "yesterday", signedAt: -24 * time.Hour, wantCode: http.StatusUnauthorized},
		{name: "six_minutes_ahead", signedAt: 6 * time.Minute, wantCode: http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rcv, box := newReceiver(t, fixedClock(sentAt))
			at := sentAt.Add(tt.signedAt)
			hdr := signed(t, secret, "msg_"+tt.name, at, confirmedBody)

			rec := post(t, rcv, http.MethodPost, hdr, confirmedBody)
			rcv.Wait()

			assert.Equal(t, tt.wantCode, rec.Code, "a correctly signed message whose "+
				"webhook-timestamp is %v from the receiver's clock (now = %s, timestamp %s) must "+
				"get %d: the window is five minutes either way, judged by the now passed to "+
				"NewReceiver. Got %d %q", tt.signedAt, sentAt.Format(time.RFC3339),
				hdr.Get("webhook-timestamp"), tt.wantCode, rec.Code,
				strings.TrimSpace(rec.Body.String()))
			wantDelivered := 0
			if tt.wantCode == http.StatusNoContent {
				wantDelivered = 1
			}
			assert.Len(t, box.got(), wantDelivered, "how many times deliver ran")
		})
	}
}

func TestEachWebhookIDOnce(t *testing.T) {
	t.Parallel()

	t.Run("retry_signed_afresh", func(t *testing.T) {
		t.Parallel()
		now := sentAt
		rcv, box := newReceiver(t, func() time.Time { return now })
		first := post(t, rcv, http.MethodPost,
			signed(t, secret, "msg_again", sentAt, confirmedBody), confirmedBody)
		now = sentAt.Add(2 * time.Minute) // the retry comes later, with its own timestamp
		retry := post(t, rcv, http.MethodPost,
			signed(t, secret, "msg_again", now, confirmedBody), confirmedBody)
		rcv.Wait()

		assert.Equal(t, http.StatusNoContent, first.Code, "the first copy of webhook-id "+
			"\"msg_again\" must get 204; got %d %q", first.Code, first.Body)
		assert.Equal(t, http.StatusNoContent, retry.Code, "a retry of webhook-id \"msg_again\" "+
			"is genuine too: answer 204 (an error would make book_ticket retry again); got "+
			"%d %q", retry.Code, retry.Body)
		assert.Len(t, box.got(), 1, "webhook-id \"msg_again\" arrived twice; deliver must run "+
			"only for the first copy")
	})

	t.Run("different_ids_are_different_messages", func(t *testing.T) {
		t.Parallel()
		rcv, box := newReceiver(t, fixedClock(sentAt))
		for _, id := range []string{"msg_a", "msg_b"} {
			rec := post(t, rcv, http.MethodPost, signed(t, secret, id, sentAt, confirmedBody),
				confirmedBody)
			assert.Equal(t, http.StatusNoContent, rec.Code, "webhook-id %q must get 204", id)
		}
		rcv.Wait()
		assert.Len(t, box.got(), 2, "webhook-ids \"msg_a\" and \"msg_b\" are two messages; "+
			"deduplicate by webhook-id, not by body")
	})

	t.Run("copies_at_the_same_moment", func(t *testing.T) {
		t.Parallel()
		rcv, box := newReceiver(t, fixedClock(sentAt))
		hdr := signed(t, secret, "msg_race", sentAt, confirmedBody)
		const copies = 8
		codes := make([]int, copies)
		var wg sync.WaitGroup
		for i := range copies {
			wg.Go(func() { codes[i] = post(t, rcv, http.MethodPost, hdr, confirmedBody).Code })
		}
		wg.Wait()
		rcv.Wait()

		for i, code := range codes {
			assert.Equal(t, http.StatusNoContent, code, "copy %d of %d must get 204", i+1, copies)
		}
		assert.Len(t, box.got(), 1, "%d copies of webhook-id \"msg_race\" arrived at once; "+
			"deliver must run once. Check and record the id in one step under one lock, so "+
			"that two copies cannot both see it as new", copies)
	})
}

func TestAnswersBeforeDelivering(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		var delivered []Event
		var r *Receiver
		var err error
		noPanic(t, "NewReceiver", func() {
			r, err = NewReceiver(secret, nil, func(ev Event) {
				<-release // a slow mail server, say
				delivered = append(delivered, ev)
			})
		})
		require.NoError(t, err)

		answered := make(chan int, 1)
		go func() {
			code := 0
			defer func() { recover(); answered <- code }()
			code = post(t, r, http.MethodPost, signed(t, secret, "msg_slow", time.Now(),
				confirmedBody), confirmedBody).Code
		}()
		synctest.Wait() // everything that can run has run; deliver is stuck on release

		select {
		case code := <-answered:
			assert.Equal(t, http.StatusNoContent, code, "the genuine message must get 204")
		default:
			t.Error("ServeHTTP was still waiting for deliver to finish. Answer 204 first, then " +
				"hand the event to deliver on another goroutine: book_ticket only waits a few " +
				"seconds, and a slow deliver must not turn into a timeout and a retry")
			close(release)
			<-answered
			return
		}

		close(release)
		r.Wait()
		assert.Len(t, delivered, 1, "Wait must return only after deliver has run for every "+
			"accepted event (use a sync.WaitGroup)")
	})
}

func TestBadRequests(t *testing.T) {
	t.Parallel()

	t.Run("GET_is_not_allowed", func(t *testing.T) {
		t.Parallel()
		rcv, box := newReceiver(t, fixedClock(sentAt))
		rec := post(t, rcv, http.MethodGet, nil, nil)
		assert.Equal(t, http.StatusMethodNotAllowed, rec.Code, "GET /booking/callback must "+
			"get 405 Method Not Allowed; got %d %q", rec.Code, rec.Body)
		assert.Equal(t, "POST", rec.Header().Get("Allow"), "a 405 answer must say in its "+
			"Allow header which method works")
		assert.Empty(t, box.got(), "nothing must reach deliver")
	})

	t.Run("signed_but_not_json", func(t *testing.T) {
		t.Parallel()
		rcv, box := newReceiver(t, fixedClock(sentAt))
		body := []byte(`booking confirmed!`)
		rec := post(t, rcv, http.MethodPost, signed(t, secret, "msg_text", sentAt, body), body)
		rcv.Wait()
		assert.Equal(t, http.StatusBadRequest, rec.Code, "a correctly signed body %q that is "+
			"not JSON must get 400 Bad Request; got %d %q", body, rec.Code, rec.Body)
		assert.Empty(t, box.got(), "nothing must reach deliver")
	})

	t.Run("body_too_large", func(t *testing.T) {
		t.Parallel()
		rcv, box := newReceiver(t, fixedClock(sentAt))
		body := append([]byte(`{"type":"booking.confirmed","padding":"`),
			bytes.Repeat([]byte("x"), MaxBodyBytes)...)
		body = append(body, `"}`...)
		rec := post(t, rcv, http.MethodPost, signed(t, secret, "msg_big", sentAt, body), body)
		rcv.Wait()
		assert.Equal(t, http.StatusRequestEntityTooLarge, rec.Code, "a body of %d bytes is "+
			"larger than MaxBodyBytes (%d) and must get 413; read it through "+
			"http.MaxBytesReader. Got %d", len(body), MaxBodyBytes, rec.Code)
		assert.Empty(t, box.got(), "nothing must reach deliver")
	})
}

func TestDeliversTheParsedEvent(t *testing.T) {
	t.Parallel()
	rcv, box := newReceiver(t, fixedClock(sentAt))
	rec := post(t, rcv, http.MethodPost, signed(t, secret, "msg_parse", sentAt, confirmedBody),
		confirmedBody)
	rcv.Wait()
	require.Equal(t, http.StatusNoContent, rec.Code, "a genuine message must get 204; got %d %q",
		rec.Code, strings.TrimSpace(rec.Body.String()))

	want := []Event{{
		Type: "booking.confirmed", Timestamp: sentAt,
		Data: Outcome{BookingID: "bk_7f3a", Status: "confirmed", From: "Lisbon", To: "Porto",
			Date: "2026-12-24", Time: "09:30"},
	}}
	if diff := cmp.Diff(want, box.got()); diff != "" {
		t.Errorf("deliver must get the body %s decoded as an Event (-want +got):\n%s",
			confirmedBody, diff)
	}
}

// FuzzReceiver sends arbitrary headers and bodies that were not signed with the secret. None
// may be accepted, reach deliver, or crash the handler.
func FuzzReceiver(f *testing.F) {
	f.Add("msg_1", fmt.Sprint(sentAt.Unix()), "v1,AAAA", confirmedBody)
	f.Add("", "", "", []byte{})
	f.Add("msg_1", "-99999999999999999999", "v1,", []byte("{}"))
	f.Add("msg_1", fmt.Sprint(sentAt.Unix()), "v1 v1, ,v1", []byte("null"))
	f.Fuzz(func(t *testing.T, id, ts, sig string, body []byte) {
		rcv, box := newReceiver(t, fixedClock(sentAt))
		hdr := http.Header{}
		hdr.Set("webhook-id", id)
		hdr.Set("webhook-timestamp", ts)
		hdr.Set("webhook-signature", sig)

		rec := post(t, rcv, http.MethodPost, hdr, body)
		rcv.Wait()

		if rec.Code < 400 || rec.Code >= 500 {
			t.Errorf("an unsigned message (id %q, timestamp %q, signature %q) must get a 4xx "+
				"answer; got %d", id, ts, sig, rec.Code)
		}
		if n := len(box.got()); n != 0 {
			t.Errorf("an unsigned message reached deliver %d times", n)
		}
	})
}
