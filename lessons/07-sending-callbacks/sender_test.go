package sending

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"callbacklab/sim"
	"callbacklab/sim/booking"
)

func TestDeliverSignsTheMessage(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		rv := &receiver{script: inOrder(status(500), status(500), status(204))}
		s := newSender(rv, Policy{Attempts: 5, Base: time.Second})

		_, err := deliver(t, s, callbackURL)
		require.NoError(t, err, "the receiver answered 500, 500, then 204: Deliver must keep "+
			"trying and return nil once it gets the 204")

		hits := rv.got()
		require.Len(t, hits, 3, "the receiver answered 500, 500, 204, so Deliver must make "+
			"exactly three attempts")
		for i, h := range hits {
			n := i + 1
			assert.Equal(t, "msg_2Vd8c1", h.header.Get("webhook-id"), "attempt %d must carry "+
				"webhook-id \"msg_2Vd8c1\": the id names the message and stays the same on "+
				"every retry", n)
			assert.Equal(t, strconv.FormatInt(h.at.Unix(), 10),
				h.header.Get("webhook-timestamp"), "attempt %d was made at %s; its "+
					"webhook-timestamp must be that time in Unix seconds: sign every attempt "+
					"afresh, with time.Now() at the attempt", n, h.at.Format(time.TimeOnly))
			assert.Equal(t, "application/json", h.header.Get("Content-Type"),
				"attempt %d must say Content-Type: application/json", n)
			assert.True(t, sameBytes(outcome, h.body), "attempt %d must carry the body "+
				"unchanged; got %q, want %q", n, h.body, outcome)

			// The simulation's own verifier checks the signature, as the travel site would.
			v, err := booking.NewVerifier(secret, func() time.Time { return h.at })
			require.NoError(t, err)
			_, err = v.Verify(h.header, h.body)
			assert.NoError(t, err, "attempt %d must carry a webhook-signature that the "+
				"receiver accepts: \"v1,\" and the base64 HMAC-SHA256 of id.timestamp.body "+
				"with the shared secret (headers sent: %v)", n, h.header)
		}
	})
}

func TestRetrySchedule(t *testing.T) {
	t.Parallel()
	s := time.Second
	httpDate := func(n int) answer { // 429 with Retry-After as an HTTP date 30 s ahead
		if n > 1 {
			return status(204)
		}
		return status(429, time.Now().Add(30*s).UTC().Format(http.TimeFormat))
	}
	redirect := answer{status: http.StatusTemporaryRedirect, header: http.Header{
		"Location": {"http://169.254.169.254/latest/meta-data/"}}}

	tests := []struct {
		name    string
		policy  Policy
		jitter  func(time.Duration) time.Duration // nil: none, the wait is the backoff
		script  func(n int) answer
		wantAt  []time.Duration // when each attempt must reach the receiver
		wantErr error
	}{
		{name: "backoff_doubles_then_caps", policy: Policy{Attempts: 6, Base: s, Max: 5 * s},
			script: always(status(500)), wantErr: ErrGaveUp,
			wantAt: []time.Duration{0, 1 * s, 3 * s, 7 * s, 12 * s, 17 * s}},
		{name: "delivered_on_the_third_attempt", policy: Policy{Attempts: 5, Base: s},
			script: inOrder(status(503), status(502), status(204)),
			wantAt: []time.Duration{0, 1 * s, 3 * s}},
		{name: "any_2xx_is_delivered", policy: Policy{Attempts: 5, Base: s},
			script: inOrder(status(500), status(200)), wantAt: []time.Duration{0, 1 * s}},
		{name: "jitter_picks_from_the_backoff", policy: Policy{Attempts: 4, Base: 2 * s},
			jitter: func(d time.Duration) time.Duration { return d / 2 },
			script: always(status(500)), wantErr: ErrGaveUp,
			wantAt: []time.Duration{0, 1 * s, 3 * s, 7 * s}},
		{name: "retry_after_in_seconds_on_503", policy: Policy{Attempts: 5, Base: s},
			script: inOrder(status(503, "7"), status(204)), wantAt: []time.Duration{0, 7 * s}},
		{name: "retry_after_in_seconds_on_429", policy: Policy{Attempts: 5, Base: s},
			script: inOrder(status(429, "120"), status(204)),
			wantAt: []time.Duration{0, 2 * time.Minute}},
		{name: "retry_after_as_http_date", policy: Policy{Attempts: 5, Base: s},
			script: httpDate, wantAt: []time.Duration{0, 30 * s}},
		{name: "retry_after_is_capped", policy: Policy{Attempts: 5, Base: s},
			script: inOrder(status(503, "86400"), status(204)),
			wantAt: []time.Duration{0, MaxRetryAfter}},
		{name: "each_attempt_times_out", policy: Policy{Attempts: 3, Base: s, Timeout: 10 * s},
			script: inOrder(answer{hang: true}, answer{hang: true}, status(204)),
			wantAt: []time.Duration{0, 11 * s, 23 * s}},
		{name: "a_redirect_is_a_failure", policy: Policy{Attempts: 3, Base: s},
			script: always(redirect), wantErr: ErrGaveUp,
			wantAt: []time.Duration{0, 1 * s, 3 * s}},
		{name: "gone_stops_at_once", policy: Policy{Attempts: 5, Base: s},
			script: always(status(410)), wantErr: ErrGone, wantAt: []time.Duration{0}},
		{name: "one_attempt_only", policy: Policy{Attempts: 1, Base: s},
			script: always(status(500)), wantErr: ErrGaveUp, wantAt: []time.Duration{0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				rv := &receiver{script: tt.script}
				snd := newSender(rv, tt.policy)
				if tt.jitter != nil {
					snd.Jitter = tt.jitter
				}
				situation := fmt.Sprintf("with Policy%+v and a receiver answering %s", tt.policy,
					describeAnswers(tt.script, len(tt.wantAt)+1))

				start := time.Now()
				attempts, err := deliver(t, snd, callbackURL)
				gotAt := offsets(start, rv.got())

				if diff := cmp.Diff(tt.wantAt, gotAt); diff != "" {
					t.Errorf("%s, the attempts must reach the receiver at %s; they came at %s "+
						"(-want +got):\n%s", situation, seconds(tt.wantAt), seconds(gotAt), diff)
				}
				assert.Len(t, attempts, len(tt.wantAt), "%s, Deliver must return one Attempt "+
					"per request it made", situation)
				if len(attempts) > 0 {
					assert.Zero(t, attempts[len(attempts)-1].Wait, "%s, the last Attempt's "+
						"Wait must be 0: no wait follows it", situation)
				}
				if tt.wantErr == nil {
					assert.NoError(t, err, "%s, Deliver must return nil", situation)
					return
				}
				assert.ErrorIs(t, err, tt.wantErr, "%s, Deliver's error must wrap %v; got %v",
					situation, tt.wantErr, err)
				if err != nil && tt.wantErr == ErrGaveUp {
					last := fmt.Sprint(tt.script(len(tt.wantAt)).status)
					assert.Contains(t, err.Error(), last, "giving up must be visible: the "+
						"error must say how the last attempt ended (%s)", last)
				}
			})
		})
	}
}

func TestRedirectIsNotFollowed(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		rv := &receiver{script: always(answer{status: http.StatusFound, header: http.Header{
			"Location": {"http://169.254.169.254/latest/meta-data/"}}})}
		snd := newSender(rv, Policy{Attempts: 2, Base: time.Second})
		snd.Client = &http.Client{Transport: sim.InMemory(map[string]http.Handler{
			"travel.example": rv, "169.254.169.254": rv, // so that a followed redirect shows
		})}
		_, _ = deliver(t, snd, callbackURL)

		for _, h := range rv.got() {
			assert.Equal(t, "/booking/callback", h.path, "the receiver answered 302 with "+
				"Location: http://169.254.169.254/latest/meta-data/ and the sender followed it. "+
				"A sender must never follow a redirect: it would send signed data wherever "+
				"the receiver points, internal addresses included")
		}
		assert.NotEmpty(t, rv.got(), "Deliver must make at least one attempt")
	})
}

func TestFullJitterByDefault(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		rv := &receiver{script: always(status(500))}
		snd := newSender(rv, Policy{Attempts: 8, Base: time.Second, Max: time.Minute})
		snd.Jitter = nil

		start := time.Now()
		_, _ = deliver(t, snd, callbackURL)
		at := offsets(start, rv.got())
		require.Len(t, at, 8, "with Policy.Attempts 8 and a receiver that always answers 500, "+
			"Deliver must make 8 attempts; they came at %s", seconds(at))

		var total time.Duration
		for n := 1; n < len(at); n++ {
			gap, ceiling := at[n]-at[n-1], min(time.Second<<(n-1), time.Minute)
			total += gap
			assert.Less(t, gap, ceiling, "with no Jitter set, the wait after failed attempt "+
				"%d must be random, from 0 up to (not including) the backoff %v (\"full "+
				"jitter\", math/rand/v2's rand.N). It was %v. Without jitter, senders that "+
				"failed together retry together", n, ceiling, gap)
		}
		assert.Positive(t, total, "the waits with full jitter cannot all be zero; the "+
			"attempts came at %s", seconds(at))
	})
}

func TestStopsWhenContextEnds(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		rv := &receiver{script: always(status(503))}
		snd := newSender(rv, Policy{Attempts: 10, Base: time.Second})
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()

		start := time.Now()
		var (
			attempts []Attempt
			err      error
		)
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("Deliver panicked: %v", r)
				}
			}()
			attempts, err = snd.Deliver(ctx, callbackURL, "msg_2Vd8c1", outcome)
		}()

		assert.Equal(t, 5*time.Second, time.Since(start), "the caller's context ended after "+
			"5s while Deliver was waiting to retry; Deliver must return at once (select on "+
			"ctx.Done() and the timer), not finish its wait")
		assert.ErrorIs(t, err, context.DeadlineExceeded, "when the context ends, Deliver's "+
			"error must wrap ctx.Err(); got %v", err)
		assert.Len(t, rv.got(), 3, "attempts at 0s, 1s and 3s fit in 5s; the next would be "+
			"at 7s")
		if assert.Len(t, attempts, 3, "Deliver must return the three attempts it made") {
			assert.Equal(t, 4*time.Second, attempts[2].Wait, "the third attempt's Wait must "+
				"hold the wait chosen after it (4s), even though the context ended during it")
		}
	})
}

func TestRefusesInternalCallbackURLs(t *testing.T) {
	t.Parallel()
	for _, url := range []string{
		"http://127.0.0.1:8080/booking/callback",
		"http://localhost/booking/callback",
		"http://[::1]/booking/callback",
		"http://10.0.0.5/booking/callback",
		"http://169.254.169.254/latest/meta-data/",
		"http://[::ffff:192.168.0.1]/booking/callback",
	} {
		t.Run(url, func(t *testing.T) {
			t.Parallel()
			rv := &receiver{script: always(status(204))}
			attempts, err := deliver(t, newSender(rv, Policy{Attempts: 3}), url)

			assert.ErrorIs(t, err, ErrForbiddenAddress, "Deliver to %q must refuse with an "+
				"error wrapping ErrForbiddenAddress: call CheckURL first; got %v", url, err)
			assert.Empty(t, attempts, "Deliver to %q must not make any attempt", url)
			assert.Empty(t, rv.got(), "nothing may be sent to %q", url)
		})
	}
}

func TestBadSecret(t *testing.T) {
	t.Parallel()
	rv := &receiver{script: always(status(204))}
	snd := newSender(rv, Policy{})
	snd.Secret = "hunter2"
	_, err := deliver(t, snd, callbackURL)
	assert.Error(t, err, "Deliver with Secret %q (not \"whsec_\" and base64) must return an "+
		"error", snd.Secret)
	if err != nil {
		assert.True(t, strings.HasPrefix(err.Error(), "sending: "), "errors of package "+
			"sending start with \"sending: \"; got %q", err)
		assert.Contains(t, strings.ToLower(err.Error()), "secret", "the error must say "+
			"that the secret is what is wrong (the word \"secret\", in any case); got %q", err)
	}
	assert.Empty(t, rv.got(), "nothing may be sent without a valid secret")
}
