package booking

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// Policy says how hard a [Sender] tries. The zero value means the defaults
// given on each field.
type Policy struct {
	// MaxAttempts is the number of attempts before giving up; 0 means 6.
	MaxAttempts int

	// Base is the wait after the first failed attempt; it doubles after each
	// further failure. 0 means one second.
	Base time.Duration

	// Max caps the wait between attempts; 0 means one minute.
	Max time.Duration

	// Timeout bounds each attempt; 0 means ten seconds.
	Timeout time.Duration

	// MaxRetryAfter caps how long a Retry-After header may make the sender
	// wait; 0 means ten minutes.
	MaxRetryAfter time.Duration
}

func (p Policy) withDefaults() Policy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 6
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
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = 10 * time.Minute
	}
	return p
}

// Message is one webhook to deliver.
type Message struct {
	// ID is the webhook-id; it stays the same across retries so that the
	// receiver can process the message once.
	ID string

	// URL is the receiver's endpoint.
	URL string

	// Body is the JSON payload, signed as is.
	Body []byte
}

// State is where a delivery stands.
type State string

// The states of a [Delivery].
const (
	StatePending   State = "pending"
	StateDelivered State = "delivered"
	StateFailed    State = "failed"   // the last attempt failed or the address was refused
	StateDisabled  State = "disabled" // the receiver answered 410 Gone
)

// Attempt is one try at delivering a message.
type Attempt struct {
	Time   time.Time `json:"time"`
	Status int       `json:"status,omitempty"`
	Error  string    `json:"error,omitempty"`

	// Wait is how long the sender waited after this attempt, if it retried.
	Wait time.Duration `json:"wait,omitempty"`
}

// Delivery is the record of delivering one message.
type Delivery struct {
	MessageID string    `json:"message_id"`
	State     State     `json:"state"`
	Attempts  []Attempt `json:"attempts"`
}

// Sender delivers signed webhooks. It is safe for concurrent use.
type Sender struct {
	// Client sends the requests. It should not follow redirects; use
	// [Guard.Client], or set CheckRedirect to [NoRedirects].
	Client *http.Client

	// Signer signs each attempt.
	Signer *Signer

	// Policy sets attempts, backoff and timeouts.
	Policy Policy

	// Now is the clock for webhook-timestamp; nil means time.Now.
	Now func() time.Time

	// Rand is the source of jitter; nil means crypto/rand.
	Rand io.Reader

	// OnAttempt, if set, is called after each attempt, before any wait, so
	// that progress can be shown while a delivery is still retrying. It must
	// not block.
	OnAttempt func(Message, Attempt)
}

// Deliver sends msg until the receiver answers 2xx, the receiver answers 410
// Gone, the attempts run out or ctx ends. It waits between attempts with
// exponential backoff and jitter, or as long as a Retry-After header on a
// 429 or 503 asks. Redirects count as failures. The returned Delivery
// records every attempt; it is never lost, even when ctx ends.
func (s *Sender) Deliver(ctx context.Context, msg Message) Delivery {
	p := s.Policy.withDefaults()
	d := Delivery{MessageID: msg.ID, State: StatePending}
	for n := 1; ; n++ {
		a, retryAfter, final := s.attempt(ctx, p, msg)
		switch {
		case a.Status >= 200 && a.Status < 300:
			d.State = StateDelivered
		case a.Status == http.StatusGone:
			d.State = StateDisabled
		case final || n >= p.MaxAttempts:
			d.State = StateFailed
		}
		if d.State != StatePending {
			d.Attempts = append(d.Attempts, a)
			if s.OnAttempt != nil {
				s.OnAttempt(msg, a)
			}
			return d
		}

		// Wait before the next attempt, unless the caller gives up first.
		a.Wait = max(s.backoff(p, n), min(retryAfter, p.MaxRetryAfter))
		d.Attempts = append(d.Attempts, a)
		if s.OnAttempt != nil {
			s.OnAttempt(msg, a)
		}
		t := time.NewTimer(a.Wait)
		select {
		case <-ctx.Done():
			t.Stop()
			d.State = StateFailed
			d.Attempts[len(d.Attempts)-1].Error += " (gave up: " + ctx.Err().Error() + ")"
			return d
		case <-t.C:
		}
	}
}

// attempt makes one request. final reports a failure that retrying cannot
// fix, such as a refused address.
func (s *Sender) attempt(
	ctx context.Context, p Policy, msg Message,
) (a Attempt, retryAfter time.Duration, final bool) {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	a.Time = now()

	ctx, cancel := context.WithTimeout(ctx, p.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, msg.URL, bytes.NewReader(msg.Body))
	if err != nil {
		a.Error = "cannot build request: " + err.Error()
		return a, 0, true
	}
	for k, v := range s.Signer.Headers(msg.ID, a.Time, msg.Body) {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "callbacklab-book_ticket/1")

	res, err := s.Client.Do(req)
	if err != nil {
		a.Error = err.Error()
		return a, 0, errors.Is(err, ErrBlockedAddress)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	res.Body.Close()

	a.Status = res.StatusCode
	switch {
	case res.StatusCode >= 300 && res.StatusCode < 400:
		a.Error = "redirects are not followed"
	case res.StatusCode == http.StatusTooManyRequests,
		res.StatusCode == http.StatusServiceUnavailable:
		retryAfter = parseRetryAfter(res.Header.Get("Retry-After"), a.Time)
	}
	return a, retryAfter, false
}

// backoff returns the wait after the nth failed attempt: Base doubled n-1
// times, capped at Max, with "equal jitter" (between half and all of it) so
// that many senders do not retry in step.
func (s *Sender) backoff(p Policy, n int) time.Duration {
	d := p.Base
	for i := 1; i < n && d < p.Max; i++ {
		d *= 2
	}
	d = min(d, p.Max)
	half := d / 2
	if half <= 0 {
		return d
	}
	r := s.Rand
	if r == nil {
		r = rand.Reader
	}
	var b [8]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return d
	}
	return half + time.Duration(binary.BigEndian.Uint64(b[:])%uint64(half+1))
}

// parseRetryAfter reads a Retry-After header given as seconds or as an HTTP
// date; it returns 0 when there is none or it cannot be read.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil && secs >= 0 {
		return time.Duration(min(secs, 1<<30)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// String describes a delivery in one line, such as "delivered after 3
// attempts".
func (d Delivery) String() string {
	return fmt.Sprintf("%s after %d attempts", d.State, len(d.Attempts))
}
