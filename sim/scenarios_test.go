package sim_test

import (
	"math"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"callbacklab/sim"
	"callbacklab/sim/booking"
)

// countHops counts the lines of the latest journey's diagram containing s.
func countHops(w *sim.World, s string) int {
	n := 0
	for _, j := range w.Traces().Journeys() {
		n += strings.Count(string(j.Mermaid()), s)
	}
	return n
}

func TestScenariosCatalogue(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t)
		seen := map[string]bool{}
		for _, s := range w.Scenarios() {
			assert.False(t, seen[s.Name], "scenario %q is listed twice", s.Name)
			seen[s.Name] = true
			assert.True(t, strings.HasSuffix(s.Shows, "."), "%q: Shows should be a sentence", s.Name)
			require.NoError(t, w.SetScenario(s.Name), "every listed scenario can be chosen")
		}
		assert.Len(t, seen, 12, "the control panel should offer the twelve scenarios")
		assert.Error(t, w.SetScenario("no-such-thing"), "unknown scenarios are refused")
	})
}

func TestSignInScenarios(t *testing.T) {
	tests := []struct {
		name      string
		scenario  string
		quirk     string // a Google (mock) quirk to switch on instead
		allow     bool
		wantTitle string
		wantText  string
	}{
		{name: "consentDenied", scenario: sim.ConsentDenied, allow: false,
			wantTitle: "Sign-in cancelled", wantText: "You declined"},
		{name: "forgedIDToken", scenario: sim.ForgedIDToken, allow: true,
			wantTitle: "Sign-in failed", wantText: "signature"},
		{name: "expiredIDToken", scenario: sim.ExpiredIDToken, allow: true,
			wantTitle: "Sign-in failed", wantText: "expired"},
		{name: "quirkDropNonce", quirk: "DropNonce", allow: true,
			wantTitle: "Sign-in failed", wantText: "nonce"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				w := newWorld(t)
				if tt.scenario != "" {
					require.NoError(t, w.SetScenario(tt.scenario))
				}
				if tt.quirk != "" {
					require.NoError(t, w.SetQuirk("google", tt.quirk, 1))
				}
				p, err := w.Browser().SignIn(t.Context(), "google", "alice", tt.allow)
				require.NoError(t, err)
				assert.Contains(t, p.Body, tt.wantTitle, "the page title the traveller sees")
				assert.Contains(t, p.Body, tt.wantText, "the explanation the traveller sees")
				assert.NotContains(t, p.Body, "Signed in as", "nobody should be signed in")
			})
		})
	}
}

func TestLoginCSRFIsRefused(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t)
		link, err := w.LoginCSRFURL(t.Context())
		require.NoError(t, err, "the attacker should get a sign-in response for their account")
		require.Contains(t, link, "/auth/callback?code=")
		tokensBefore := countHops(w, "Travel->>Google: POST /google/token")

		victim := w.Browser()
		p, err := victim.Get(t.Context(), link)
		require.NoError(t, err)
		assert.Equal(t, http.StatusBadRequest, p.Status)
		assert.Contains(t, p.Body, "Sign-in refused: state mismatch")
		assert.NotContains(t, p.Body, "Signed in as Bob",
			"the victim must not be signed in as the attacker")
		assert.Equal(t, tokensBefore, countHops(w, "Travel->>Google: POST /google/token"),
			"the site should not even exchange the attacker's code")
	})
}

func TestCodeReplayIsRefused(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t)
		require.NoError(t, w.SetScenario(sim.CodeReplay))
		b := w.Browser()
		signIn(t, b)
		replay := w.Site().LastSignInURL()
		require.NotEmpty(t, replay, "the site should remember the last sign-in response")

		p, err := b.Get(t.Context(), replay)
		require.NoError(t, err)
		assert.Equal(t, http.StatusBadRequest, p.Status)
		assert.Contains(t, p.Body, "Sign-in link already used")
		assert.Equal(t, 1, countHops(w, "Travel->>Google: POST /google/token"),
			"the code should be exchanged once only")
	})
}

func TestBookingScenarios(t *testing.T) {
	tests := []struct {
		name        string
		scenario    string
		wantMessage string
		wantStatus  booking.Outcome
	}{
		{"paymentFailed", sim.PaymentFailed,
			"Booking failed: payment failed (the card was declined)", booking.PaymentFailed},
		{"soldOut", sim.SoldOut, "Booking failed: sold out (no seats are left from London to Paris",
			booking.SoldOut},
		{"receiverDown", sim.ReceiverDown, "Booking confirmed", booking.Confirmed},
		{"duplicateDelivery", sim.DuplicateDelivery, "Booking confirmed", booking.Confirmed},
		{"forgedCallback", sim.ForgedCallback,
			"Booking failed: payment failed (the card was declined)", booking.PaymentFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				w := newWorld(t)
				require.NoError(t, w.SetScenario(tt.scenario))
				b := w.Browser()
				signIn(t, b)
				events := openEvents(t, b)
				id := book(t, b, trip())
				got := outcome(t, events, id)
				assert.True(t, strings.HasPrefix(got.Message, tt.wantMessage),
					"the traveller should see %q, saw %q", tt.wantMessage, got.Message)
				w.Wait()
				bk, _ := w.BookingService().Booking(id)
				assert.Equal(t, tt.wantStatus, bk.Status, "book_ticket's record")
				assert.Equal(t, booking.StateDelivered, bk.Delivery.State)
				assert.Equal(t, 1, w.Site().Stats().Processed, "processed exactly once")
				checkScenarioRecords(t, w, tt.scenario, bk)
			})
		})
	}
}

// checkScenarioRecords checks what each service recorded beyond the outcome.
func checkScenarioRecords(t *testing.T, w *sim.World, scenario string, bk booking.Booking) {
	t.Helper()
	st := w.Site().Stats()
	switch scenario {
	case sim.ReceiverDown:
		require.Len(t, bk.Delivery.Attempts, 4, "three refused attempts, then success")
		for i, a := range bk.Delivery.Attempts[:3] {
			assert.Equal(t, http.StatusServiceUnavailable, a.Status, "attempt %d", i+1)
		}
		assert.Greater(t, bk.Delivery.Attempts[2].Wait, bk.Delivery.Attempts[0].Wait,
			"the waits between attempts should grow")
		assert.Equal(t, 3, st.Unavailable)
	case sim.DuplicateDelivery:
		assert.Len(t, bk.Delivery.Attempts, 2, "the same message delivered twice")
		assert.Equal(t, 1, st.Duplicates, "the second delivery is recognised as a duplicate")
	case sim.ForgedCallback:
		assert.Equal(t, 1, st.Rejected, "the forged callback should be refused")
		assert.Equal(t, 1, countHops(w, "Attacker->>Travel: POST /booking/callback"))
		assert.Equal(t, 1, countHops(w, "Travel-->>Attacker: 401 Unauthorized"))
	}
}

func TestInternalCallbackURLIsRefused(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t)
		require.NoError(t, w.SetScenario(sim.InternalCallbackURL))
		b := w.Browser()
		signIn(t, b)
		p, err := b.Book(t.Context(), trip())
		require.NoError(t, err)
		assert.Contains(t, p.Body, "book_ticket refused the site&#39;s callback URL",
			"the traveller should learn why nothing was booked")
		assert.Contains(t, p.Body, "link-local")
		assert.Empty(t, w.BookingService().Bookings(), "book_ticket should store nothing")
		assert.Equal(t, 1, countHops(w, "Booking-->>Travel: 400 Bad Request"))
	})
}

func TestSetQuirkRefusesValuesOutOfRange(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t)
		tests := []struct {
			name, quirk string
			value       int
			wantErr     bool
		}{
			{"maxInt", "ClockSkewSeconds", math.MaxInt, true},
			{"dayAndASecond", "ClockSkewSeconds", -86_401, true},
			{"oneDay", "ClockSkewSeconds", 86_400, false},
			{"switchTwo", "DropNonce", 2, true},
			{"switchOn", "DropNonce", 1, false},
		}
		for _, tt := range tests {
			err := w.SetQuirk("google", tt.quirk, tt.value)
			if tt.wantErr {
				assert.ErrorIs(t, err, sim.ErrQuirkValue, "%s=%d is refused", tt.quirk, tt.value)
				continue
			}
			assert.NoError(t, err, "%s=%d is accepted", tt.quirk, tt.value)
		}
		assert.Equal(t, 86_400, w.QuirkValues("google")["ClockSkewSeconds"],
			"a refused value changes nothing")
	})
}
