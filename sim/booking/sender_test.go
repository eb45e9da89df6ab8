package booking_test

import (
	"context"
	"io"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"callbacklab/sim/booking"
)

// receiver answers each attempt with the next status of a script and
// records what it saw.
type receiver struct {
	mu      sync.Mutex
	script  []int
	headers map[int]http.Header // extra headers per attempt index
	ids     []string
	times   []time.Time
	hang    bool
}

func (rv *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rv.mu.Lock()
	n := len(rv.ids)
	rv.ids = append(rv.ids, r.Header.Get("webhook-id"))
	rv.times = append(rv.times, time.Now())
	status := http.StatusNoContent
	if n < len(rv.script) {
		status = rv.script[n]
	}
	for k, v := range rv.headers[n] {
		w.Header()[k] = v
	}
	hang := rv.hang
	rv.mu.Unlock()
	if hang {
		<-r.Context().Done()
		return
	}
	if status >= 300 && status < 400 {
		w.Header().Set("Location", "http://169.254.169.254/")
	}
	w.WriteHeader(status)
}

func newSender(t *testing.T, h http.Handler) *booking.Sender {
	t.Helper()
	signer, err := booking.NewSigner(kaSecret)
	require.NoError(t, err)
	return &booking.Sender{
		Client: memClient(h), Signer: signer,
		Policy: booking.Policy{MaxAttempts: 4, Base: time.Second, Max: 8 * time.Second,
			Timeout: 5 * time.Second},
	}
}

var msg = booking.Message{ID: "msg_1", URL: "http://travel.test/booking/callback",
	Body: []byte(`{"type":"booking.confirmed"}`)}

func TestSenderOutcomes(t *testing.T) {
	tests := []struct {
		name         string
		script       []int
		headers      map[int]http.Header
		wantState    booking.State
		wantAttempts int
	}{
		{"firstTime", []int{200}, nil, booking.StateDelivered, 1},
		{"afterTwoErrors", []int{500, 502, 204}, nil, booking.StateDelivered, 3},
		{"allFail", []int{500, 500, 500, 500, 500}, nil, booking.StateFailed, 4},
		{"redirectIsFailure", []int{302, 302, 302, 302}, nil, booking.StateFailed, 4},
		{"goneDisables", []int{500, 410}, nil, booking.StateDisabled, 2},
		{"retryAfter", []int{429, 200},
			map[int]http.Header{0: {"Retry-After": {"30"}}}, booking.StateDelivered, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				rv := &receiver{script: tt.script, headers: tt.headers}
				d := newSender(t, rv).Deliver(context.Background(), msg)
				assert.Equal(t, tt.wantState, d.State, "delivery state after %v", tt.script)
				assert.Len(t, d.Attempts, tt.wantAttempts, "attempts made")
				for i, id := range rv.ids {
					assert.Equal(t, "msg_1", id, "attempt %d should carry the same webhook-id", i+1)
				}
			})
		})
	}
}

func TestSenderBackoffGrowsAndHonoursRetryAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rv := &receiver{script: []int{500, 500, 503, 200},
			headers: map[int]http.Header{2: {"Retry-After": {"20"}}}}
		start := time.Now()
		d := newSender(t, rv).Deliver(context.Background(), msg)
		require.Equal(t, booking.StateDelivered, d.State)
		require.Len(t, rv.times, 4)
		gaps := []time.Duration{
			rv.times[1].Sub(rv.times[0]), rv.times[2].Sub(rv.times[1]), rv.times[3].Sub(rv.times[2]),
		}
		assert.Equal(t, start, rv.times[0], "the first attempt should go at once")
		assert.True(t, gaps[0] >= 500*time.Millisecond && gaps[0] <= time.Second,
			"first wait %v should be between half and all of Base (1s)", gaps[0])
		assert.True(t, gaps[1] >= time.Second && gaps[1] <= 2*time.Second,
			"second wait %v should be between 1s and 2s", gaps[1])
		assert.GreaterOrEqual(t, gaps[2], 20*time.Second, "Retry-After: 20 should be honoured")
	})
}

func TestSenderTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rv := &receiver{hang: true}
		d := newSender(t, rv).Deliver(context.Background(), msg)
		assert.Equal(t, booking.StateFailed, d.State, "a receiver that never answers fails")
		require.Len(t, d.Attempts, 4, "every attempt should time out and be retried")
		assert.Contains(t, d.Attempts[0].Error, "deadline exceeded", "the attempt error")
	})
}

func TestSenderGivesUpWhenContextEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
		defer cancel()
		rv := &receiver{script: []int{500, 500, 500, 500}}
		d := newSender(t, rv).Deliver(ctx, msg)
		assert.Equal(t, booking.StateFailed, d.State, "a cancelled delivery is marked failed")
		assert.Contains(t, d.Attempts[len(d.Attempts)-1].Error, "gave up")
	})
}

func TestSenderSignsEachAttempt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		v, err := booking.NewVerifier(kaSecret, nil)
		require.NoError(t, err)
		var verified int
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			if _, err := v.Verify(r.Header, body); assert.NoError(t, err) {
				verified++
			}
			w.WriteHeader(http.StatusInternalServerError)
		})
		newSender(t, h).Deliver(context.Background(), msg)
		assert.Equal(t, 4, verified, "every attempt should carry a valid, fresh signature")
	})
}
