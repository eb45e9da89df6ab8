package sim_test

import (
	"crypto/rsa"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"callbacklab/sim"
	"callbacklab/sim/booking"
)

func TestJourneySuccess(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t)
		b := w.Browser()
		ctx := t.Context()

		// Pressing Book while signed out asks to sign in and keeps the form.
		p, err := b.Book(ctx, trip())
		require.NoError(t, err)
		assert.Equal(t, "/travel/signin", p.URL.Path, "a signed-out traveller signs in first")
		assert.Contains(t, p.Body, "Your form is kept")

		// Sign in and come back to the filled-in form.
		p, err = b.Get(ctx, web+"/travel/signin/google?resume=1")
		require.NoError(t, err)
		p, err = b.ContinueSignIn(ctx, p, "alice", true)
		require.NoError(t, err)
		assert.Equal(t, "/travel", p.URL.Path, "sign-in returns to the form")
		assert.Contains(t, p.Body, "Signed in as Alice Martin")
		assert.Contains(t, p.Body, `value="Paris"`, "the form should be as the traveller left it")
		assert.Contains(t, p.Body, `value="&#43;33 1 23 45 67 89"`)

		// Book, and see the outcome arrive on the open page.
		events := openEvents(t, b)
		id := book(t, b, trip())
		got := outcome(t, events, id)
		assert.Equal(t, "Booking confirmed", got.Message, "what the traveller sees")

		// My bookings lists it.
		p, err = b.Get(ctx, web+"/travel/bookings")
		require.NoError(t, err)
		assert.Contains(t, p.Body, id)
		assert.Contains(t, p.Body, "Booking confirmed")

		// What each service recorded.
		w.Wait()
		bk, ok := w.BookingService().Booking(id)
		require.True(t, ok, "book_ticket should know the booking")
		assert.Equal(t, booking.Confirmed, bk.Status)
		assert.Equal(t, booking.StateDelivered, bk.Delivery.State)
		assert.Len(t, bk.Delivery.Attempts, 1, "the first delivery should succeed")
		st := w.Site().Stats()
		assert.Equal(t, 1, st.Processed, "the site should process the callback once")
		assert.Zero(t, st.Rejected)

		// The trace shows every hop, and its Mermaid text names them all.
		j, ok := w.Traces().Latest()
		require.True(t, ok)
		mmd := string(j.Mermaid())
		for _, want := range []string{
			"Browser->>Travel: POST /travel/book",
			"Browser->>Google: GET /google/authorize",
			"Travel->>Google: POST /google/token",
			"Travel->>Booking: POST /bookings",
			"Booking->>Travel: POST /booking/callback",
			"participant Google as Google (mock)",
		} {
			assert.Contains(t, mmd, want, "the journey's diagram should show %q", want)
		}
		assert.False(t, strings.Contains(mmd, "Unassigned"), "no hop should be unassigned")

		// Cause before effect: each back-channel call is drawn inside the
		// browser request that made it.
		for _, pair := range [][2]string{
			{"Browser->>Travel: GET /auth/callback", "Travel->>Google: POST /google/token"},
			{"Browser->>Travel: POST /travel/book", "Travel->>Booking: POST /bookings"},
		} {
			cause, effect := strings.Index(mmd, pair[0]), strings.Index(mmd, pair[1])
			assert.True(t, cause >= 0 && cause < effect, "%q should be drawn before %q",
				pair[0], pair[1])
		}
		assert.Contains(t, mmd, "/auth/callback?code=…&", "codes are not shown")
		assert.Contains(t, mmd, "202 Accepted, see /bookings/", "a 202 is no redirect")
	})
}

func TestJourneyFacebook(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t)
		b := w.Browser()
		p, err := b.SignIn(t.Context(), "facebook", "bob", true)
		require.NoError(t, err)
		assert.Contains(t, p.Body, "Signed in as Bob Okafor (facebook)",
			"Facebook (mock) sign-in should use the profile endpoint")
		j, _ := w.Traces().Latest()
		assert.Contains(t, string(j.Mermaid()), "Travel->>Facebook: GET /facebook/me")
	})
}

func TestConfigDefaults(t *testing.T) {
	tests := []struct {
		name, web string
		want      []string
	}{
		{"default", "", []string{"127.0.0.1:8080"}},
		{"localhost", "http://localhost:9000", []string{"127.0.0.1:9000", "[::1]:9000"}},
		{"ipv6", "http://[::1]:8080", []string{"[::1]:8080"}},
		{"name", "http://travel.test", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				w, err := sim.New(sim.Config{WebOrigin: tt.web, InMemory: true,
					Keys: []*rsa.PrivateKey{testKey()}})
				require.NoError(t, err)
				defer w.Close()
				var got []string
				for _, a := range w.Config().Allow {
					got = append(got, a.String())
				}
				assert.Equal(t, tt.want, got, "the sandbox allow-list for %q", tt.web)
			})
		})
	}
	_, err := sim.New(sim.Config{BookingOrigin: "ftp://x"})
	assert.Error(t, err, "origins must be http(s)")
}

func TestProvidersMayBeFramedByTheWebApp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t)
		p, err := w.Browser().Get(t.Context(), web+"/travel/signin/google")
		require.NoError(t, err)
		require.Contains(t, p.Body, `name="persona"`, "the provider's sign-in page")

		res, err := w.NewClient().Get(p.URL.String())
		require.NoError(t, err)
		res.Body.Close()
		assert.Empty(t, res.Header.Get("X-Frame-Options"),
			"the /sim page frames the providers' pages")
		assert.Contains(t, res.Header.Get("Content-Security-Policy"),
			"frame-ancestors "+web, "only the web app's own origin may frame them")
	})
}
