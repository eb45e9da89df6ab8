package booking

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// The header names of the Standard Webhooks specification.
const (
	HeaderID        = standardwebhooks.HeaderWebhookID
	HeaderTimestamp = standardwebhooks.HeaderWebhookTimestamp
	HeaderSignature = standardwebhooks.HeaderWebhookSignature
)

// Tolerance is how far a webhook's timestamp may be from the receiver's
// clock, in either direction, before it is refused as a possible replay.
const Tolerance = 5 * time.Minute

// Errors a [Verifier] reports. Receivers answer all of them with 400 or 401
// and do not process the message.
var (
	ErrMissingHeaders = errors.New("booking: webhook-id, webhook-timestamp and " +
		"webhook-signature headers are required")
	ErrBadTimestamp = errors.New("booking: webhook-timestamp is not a Unix time in seconds")
	ErrTooOld       = errors.New("booking: webhook timestamp is more than five minutes old")
	ErrTooNew       = errors.New("booking: webhook timestamp is more than five minutes ahead")
	ErrSignature    = errors.New("booking: no webhook signature matches")
)

// Signer signs webhook messages with a "whsec_" secret as the Standard
// Webhooks specification describes: HMAC-SHA256 over "id.timestamp.body",
// written as "v1,<base64>".
type Signer struct {
	wh *standardwebhooks.Webhook
}

// NewSigner returns a Signer for a secret such as
// "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".
func NewSigner(secret string) (*Signer, error) {
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		return nil, fmt.Errorf("booking: webhook secret must be \"whsec_\" and base64: %w", err)
	}
	return &Signer{wh: wh}, nil
}

// Sign returns the webhook-signature header value for one message.
func (s *Signer) Sign(id string, timestamp time.Time, body []byte) string {
	sig, _ := s.wh.Sign(id, timestamp, body) // the library never fails here
	return sig
}

// Headers returns the three webhook headers for one message sent at now.
func (s *Signer) Headers(id string, now time.Time, body []byte) http.Header {
	h := http.Header{}
	h.Set(HeaderID, id)
	h.Set(HeaderTimestamp, strconv.FormatInt(now.Unix(), 10))
	h.Set(HeaderSignature, s.Sign(id, now, body))
	return h
}

// Verifier checks signed webhooks on the receiving side.
type Verifier struct {
	wh  *standardwebhooks.Webhook
	now func() time.Time
}

// NewVerifier returns a Verifier for a "whsec_" secret that judges
// timestamps by now (nil means time.Now).
func NewVerifier(secret string, now func() time.Time) (*Verifier, error) {
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		return nil, fmt.Errorf("booking: webhook secret must be \"whsec_\" and base64: %w", err)
	}
	if now == nil {
		now = time.Now
	}
	return &Verifier{wh: wh, now: now}, nil
}

// Verify checks the headers and body of one delivery. It refuses messages
// whose timestamp is more than [Tolerance] away from now, and messages none
// of whose space-separated signatures match. It returns the webhook id.
func (v *Verifier) Verify(h http.Header, body []byte) (string, error) {
	id, ts, sig := h.Get(HeaderID), h.Get(HeaderTimestamp), h.Get(HeaderSignature)
	if id == "" || ts == "" || sig == "" {
		return "", ErrMissingHeaders
	}
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return "", ErrBadTimestamp
	}

	// The window is checked with our own clock; the library's check would
	// read the real time.
	now, sent := v.now(), time.Unix(secs, 0)
	switch {
	case now.Sub(sent) > Tolerance:
		return "", ErrTooOld
	case sent.Sub(now) > Tolerance:
		return "", ErrTooNew
	}
	if err := v.wh.VerifyIgnoringTimestamp(body, h); err != nil {
		return "", ErrSignature
	}
	return id, nil
}
