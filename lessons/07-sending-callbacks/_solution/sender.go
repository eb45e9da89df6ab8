// Package sending is lesson 7 of callbacklab: the side that calls back. A Sender delivers one
// signed Standard Webhooks message to a callback URL, with a timeout on every attempt, retries
// with exponential backoff and jitter, respect for Retry-After, and a visible end when it gives
// up. Its guard refuses callback URLs that point at internal addresses.
package sending

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// MaxRetryAfter is the longest a Retry-After header can make the sender wait.
const MaxRetryAfter = 10 * time.Minute

// ErrGaveUp is wrapped by the error [Sender.Deliver] returns when the last attempt failed.
var ErrGaveUp = errors.New("sending: gave up")

// ErrGone is wrapped by the error [Sender.Deliver] returns when the receiver answered
// 410 Gone: it wants no more callbacks at this URL, so the sender stops at once.
var ErrGone = errors.New("sending: the receiver answered 410 Gone")

// Policy says how hard a [Sender] tries. A zero field takes the default given with it.
type Policy struct {
	// Attempts is how many times to try in all, the first included; 0 means 5.
	Attempts int
	// Base is the backoff after the first failed attempt; it doubles after each further
	// failure. 0 means one second.
	Base time.Duration
	// Max caps the backoff; 0 means one minute.
	Max time.Duration
	// Timeout bounds each attempt, from sending the request to reading the status; 0 means
	// ten seconds.
	Timeout time.Duration
}

func (p Policy) withDefaults() Policy {
	if p.Attempts <= 0 {
		p.Attempts = 5
	}
	if p.Base <= 0 {
		p.Base = time.Second
	}
	if p.Max <= 0 {
		p.Max = time.Minute
	}
	if p.Timeout <= 0 {
		p.Timeout = 10 * time.Second
	}
	return p
}

// Attempt is what happened on one try.
type Attempt struct {
	// At is when the attempt started; it is also its webhook-timestamp.
	At time.Time
	// Status is the receiver's status code, or 0 when there was no answer.
	Status int
	// Err says why there was no answer (a timeout, a refused connection), or is nil.
	Err error
	// Wait is how long the sender chose to wait after this attempt before the next one. It
	// is 0 on the last attempt (delivered, 410 Gone, or the last one allowed). When ctx ends
	// during the wait, Wait still holds the wait that was chosen, not the part that passed.
	Wait time.Duration
}

// Sender delivers signed callbacks. Set its fields, then call [Sender.Deliver]; a Sender is
// safe for concurrent use once set up.
type Sender struct {
	// Client sends the requests; nil means [GuardedClient](). The sender never follows
	// redirects, whatever the client's CheckRedirect says.
	Client *http.Client
	// Secret is the Standard Webhooks secret shared with the receiver, "whsec_" and base64.
	Secret string
	// Policy sets attempts, backoff and timeouts.
	Policy Policy
	// Jitter picks the wait before a retry from the backoff for that retry (the ceiling).
	// nil means "full jitter": a random duration from 0 up to, not including, the ceiling.
	Jitter func(ceiling time.Duration) time.Duration
}

// Deliver POSTs body to callbackURL as the message id until the receiver answers 2xx. Each
// attempt is signed afresh with its own webhook-timestamp and has Policy.Timeout to get an
// answer. After a failed attempt it waits Jitter(backoff), where the backoff is Policy.Base
// doubled after each failure and capped at Policy.Max, or as long as a Retry-After header on
// a 429 or 503 answer asks (at most [MaxRetryAfter]). Redirects count as failures.
//
// It returns every attempt it made, and nil on delivery. Otherwise the error wraps
// [ErrForbiddenAddress] when the URL points inside (then nothing was sent), [ErrGone] after a
// 410, [ErrGaveUp] after the last attempt, or ctx's error when ctx ended first.
func (s *Sender) Deliver(ctx context.Context, callbackURL, id string, body []byte) (
	[]Attempt, error) {
	if err := CheckURL(callbackURL); err != nil {
		return nil, err
	}
	wh, err := standardwebhooks.NewWebhook(s.Secret)
	if err != nil {
		return nil, fmt.Errorf("sending: secret must be \"whsec_\" followed by base64: %w", err)
	}
	p := s.Policy.withDefaults()
	client := s.client()
	jitter := s.Jitter
	if jitter == nil {
		jitter = fullJitter
	}

	var attempts []Attempt
	for n := 1; ; n++ {
		a, retryAfter := attempt(ctx, client, wh, p.Timeout, callbackURL, id, body)
		attempts = append(attempts, a)
		switch {
		case a.Status >= 200 && a.Status < 300:
			return attempts, nil
		case a.Status == http.StatusGone:
			return attempts, fmt.Errorf("%w: stopped sending to %s", ErrGone, callbackURL)
		case errors.Is(a.Err, ErrForbiddenAddress):
			return attempts, a.Err
		case n >= p.Attempts:
			return attempts, fmt.Errorf("%w after %d attempts; the last one: %s",
				ErrGaveUp, n, describe(a))
		}

		// Wait before the next attempt, unless the caller gives up first.
		wait := jitter(backoff(p, n))
		if retryAfter > 0 {
			wait = min(retryAfter, MaxRetryAfter)
		}
		attempts[len(attempts)-1].Wait = wait
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return attempts, fmt.Errorf("sending: stopped after %d attempts: %w", n, ctx.Err())
		case <-t.C:
		}
	}
}

// client returns the sender's client with redirects switched off.
func (s *Sender) client() *http.Client {
	c := GuardedClient()
	if s.Client != nil {
		copied := *s.Client
		c = &copied
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}
	return c
}

// attempt makes one signed request and reports it, with the wait a Retry-After asked for.
func attempt(ctx context.Context, c *http.Client, wh *standardwebhooks.Webhook,
	timeout time.Duration, callbackURL, id string, body []byte) (Attempt, time.Duration) {
	a := Attempt{At: time.Now()}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, callbackURL,
		bytes.NewReader(body))
	if err != nil {
		a.Err = err
		return a, 0
	}
	sig, _ := wh.Sign(id, a.At, body)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(standardwebhooks.HeaderWebhookID, id)
	req.Header.Set(standardwebhooks.HeaderWebhookTimestamp, strconv.FormatInt(a.At.Unix(), 10))
	req.Header.Set(standardwebhooks.HeaderWebhookSignature, sig)

	res, err := c.Do(req)
	if err != nil {
		a.Err = err
		return a, 0
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	_ = res.Body.Close()
	a.Status = res.StatusCode
	if a.Status != http.StatusTooManyRequests && a.Status != http.StatusServiceUnavailable {
		return a, 0
	}
	return a, retryAfter(res.Header.Get("Retry-After"), a.At)
}

// backoff returns the ceiling of the wait after the nth failed attempt: Base doubled n-1
// times, capped at Max.
func backoff(p Policy, n int) time.Duration {
	d := p.Base
	for i := 1; i < n && d < p.Max; i++ {
		d *= 2
	}
	return min(d, p.Max)
}

// fullJitter returns a random duration in [0, ceiling).
func fullJitter(ceiling time.Duration) time.Duration {
	if ceiling <= 0 {
		return 0
	}
	return rand.N(ceiling)
}

// retryAfter reads a Retry-After header, given in seconds or as an HTTP date; it returns 0
// when there is none or it cannot be read.
func retryAfter(v string, now time.Time) time.Duration {
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil && secs > 0 {
		return time.Duration(min(secs, int64(MaxRetryAfter/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// describe says in a few words how an attempt ended.
func describe(a Attempt) string {
	if a.Status != 0 {
		return fmt.Sprintf("%d %s", a.Status, http.StatusText(a.Status))
	}
	return fmt.Sprint(a.Err)
}
