// Package sending is lesson 7 of callbacklab: the side that calls back. A Sender delivers one
// signed Standard Webhooks message to a callback URL, with a timeout on every attempt, retries
// with exponential backoff and jitter, respect for Retry-After, and a visible end when it gives
// up. Its guard refuses callback URLs that point at internal addresses.
package sending

import (
	"context"
	"errors"
	"net/http"
	"time"
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
	// Your code here: check the URL, then loop: sign, POST with a timeout, stop on 2xx or 410,
	// otherwise wait (backoff with jitter, or Retry-After) and try again, up to the last
	// attempt.
	return nil, errors.New("sending: Deliver is not written yet (open sender.go)")
}
