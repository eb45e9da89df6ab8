package sim_test

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"callbacklab/sim"
	"callbacklab/sim/booking"
)

const web = sim.DefaultWebOrigin

// testKey is one RSA key shared by every test, since generating one is slow.
var testKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

// newWorld builds an in-memory world; call it inside synctest.Test.
func newWorld(t *testing.T) *sim.World {
	t.Helper()
	w, err := sim.New(sim.Config{InMemory: true, Keys: []*rsa.PrivateKey{testKey()}})
	require.NoError(t, err, "the world should build")
	t.Cleanup(func() { w.Close() })
	return w
}

// trip is a valid booking a week after synctest's start (2000-01-01).
func trip() booking.Request {
	return booking.Request{
		Name: "Alice Martin", Email: "alice@example.com", Phone: "+33 1 23 45 67 89",
		From: "London", To: "Paris", Date: time.Now().AddDate(0, 0, 7).Format(time.DateOnly),
		Time: "09:30", TicketType: "economy",
	}
}

// update is one "booking" event from /travel/events.
type update struct {
	ID, Status, Message string
}

// openEvents connects the browser to the travel site's event stream and
// returns the updates it receives.
func openEvents(t *testing.T, b *sim.Browser) <-chan update {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, web+"/travel/events", nil)
	require.NoError(t, err)
	req.Header.Set("Accept", "text/event-stream")
	res, err := b.Client().Do(req)
	require.NoError(t, err, "the event stream should open")
	require.Equal(t, http.StatusOK, res.StatusCode, "a signed-in browser may follow its bookings")
	require.Equal(t, "text/event-stream", res.Header.Get("Content-Type"))

	out := make(chan update, 16)
	go func() {
		defer res.Body.Close()
		defer close(out)
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			data, ok := strings.CutPrefix(sc.Text(), "data: ")
			if !ok {
				continue
			}
			var u update
			if json.Unmarshal([]byte(data), &u) == nil {
				out <- u
			}
		}
	}()
	return out
}

// signIn signs the browser in with Google (mock) as Alice.
func signIn(t *testing.T, b *sim.Browser) {
	t.Helper()
	p, err := b.SignIn(t.Context(), "google", "alice", true)
	require.NoError(t, err)
	require.Contains(t, p.Body, "Signed in as Alice Martin", "sign-in should succeed: %s", p.Body)
}

// book presses Book and returns the booking id from the redirect.
func book(t *testing.T, b *sim.Browser, r booking.Request) string {
	t.Helper()
	p, err := b.Book(t.Context(), r)
	require.NoError(t, err)
	id := p.URL.Query().Get("booked")
	require.NotEmpty(t, id, "booking should lead to /travel?booked=<id>, got %s: %s", p.URL, p.Body)
	return id
}

// outcome waits, on fake time, for the update of one booking that is no
// longer pending.
func outcome(t *testing.T, events <-chan update, id string) update {
	t.Helper()
	timeout := time.After(5 * time.Minute)
	for {
		select {
		case u, ok := <-events:
			require.True(t, ok, "the event stream ended before booking %s had an outcome", id)
			if u.ID == id && u.Status != "pending" {
				return u
			}
		case <-timeout:
			t.Fatalf("no outcome for booking %s within 5 minutes", id)
		}
	}
}
