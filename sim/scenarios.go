package sim

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"

	"callbacklab/sim/booking"
	"callbacklab/sim/idp"
	"callbacklab/sim/trace"
)

// The names of the scenarios of the control panel.
const (
	Normal              = "normal"
	ConsentDenied       = "consent-denied"
	StateMismatch       = "state-mismatch"
	CodeReplay          = "code-replay"
	ForgedIDToken       = "forged-id-token"
	ExpiredIDToken      = "expired-id-token"
	PaymentFailed       = "payment-failed"
	SoldOut             = "sold-out"
	ReceiverDown        = "receiver-down"
	DuplicateDelivery   = "duplicate-delivery"
	ForgedCallback      = "forged-callback"
	InternalCallbackURL = "internal-callback-url"
)

// Scenario is one entry of the control panel.
type Scenario struct {
	// Name is the id passed to [World.SetScenario].
	Name string `json:"name"`
	// Title is a short heading.
	Title string `json:"title"`
	// Shows is one sentence on what the scenario shows.
	Shows string `json:"shows"`
}

// receiverDownFor is how many deliveries the receiver refuses in the
// receiver-down scenario.
const receiverDownFor = 3

// Scenarios lists the control panel's scenarios in order.
func (w *World) Scenarios() []Scenario {
	return []Scenario{
		{Normal, "Everything works",
			"Sign in, book, and see the signed callback confirm the booking live."},
		{ConsentDenied, "Consent denied",
			"Press Decline at the provider: the site receives error=access_denied and " +
				"signs nobody in."},
		{StateMismatch, "State mismatch (login CSRF)",
			"Open a sign-in response an attacker made for their own account: the state is not " +
				"this browser's, so the site refuses it."},
		{CodeReplay, "Code replay",
			"Load the last sign-in response again: its state and code were single-use, so the " +
				"site refuses it without calling the provider."},
		{ForgedIDToken, "Forged ID token",
			"The ID token's claims are changed on the way: its signature no longer matches and " +
				"the site refuses it."},
		{ExpiredIDToken, "Expired ID token",
			"Google (mock)'s clock runs two hours slow, so its ID tokens arrive expired and " +
				"the site refuses them."},
		{PaymentFailed, "Payment failed",
			"book_ticket declines the payment and the callback tells the traveller why."},
		{SoldOut, "Sold out", "book_ticket finds no seat and the callback says so."},
		{ReceiverDown, "Callback receiver down",
			fmt.Sprintf("The site answers 503 to the first %d deliveries: watch book_ticket "+
				"retry with growing waits until one gets through.", receiverDownFor)},
		{DuplicateDelivery, "Duplicate delivery",
			"book_ticket delivers the outcome twice with the same webhook-id: the site " +
				"processes it once."},
		{ForgedCallback, "Forged callback",
			"An attacker posts a fake \"confirmed\" callback for a booking whose payment fails: " +
				"its signature is wrong, so the site refuses it and shows the real outcome."},
		{InternalCallbackURL, "Callback URL at an internal address",
			"The site asks to be called back at the cloud metadata address: book_ticket " +
				"refuses the URL (SSRF guard)."},
	}
}

// Scenario returns the name of the current scenario.
func (w *World) Scenario() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.scenario
}

// SetScenario switches to a scenario by name, undoing the previous one.
func (w *World) SetScenario(name string) error {
	known := false
	for _, s := range w.Scenarios() {
		known = known || s.Name == name
	}
	if !known {
		return fmt.Errorf("sim: no scenario named %q", name)
	}
	w.mu.Lock()
	w.scenario = name
	w.mu.Unlock()

	// Undo every switch, then set the ones this scenario needs.
	w.booking.SetOutcome("")
	w.booking.SetDuplicateDelivery(false)
	w.site.SetReceiverDown(0)
	q := w.idp.Quirks(idp.Google)
	q.ClockSkewSeconds = 0
	switch name {
	case ExpiredIDToken:
		q.ClockSkewSeconds = -2 * 60 * 60
	case PaymentFailed, ForgedCallback:
		w.booking.SetOutcome(booking.PaymentFailed)
	case SoldOut:
		w.booking.SetOutcome(booking.SoldOut)
	case ReceiverDown:
		w.site.SetReceiverDown(receiverDownFor)
	case DuplicateDelivery:
		w.booking.SetDuplicateDelivery(true)
	}
	w.idp.SetQuirks(idp.Google, q)
	return nil
}

// MaxQuirkSeconds bounds a quirk that is a number of seconds: one day
// either way, far beyond any clock skew worth showing and far from the
// overflow of a time.Duration.
const MaxQuirkSeconds = 86_400

// ErrQuirkValue reports a quirk value out of range: a switch takes 0 or 1,
// a number of seconds lies within ±[MaxQuirkSeconds].
var ErrQuirkValue = errors.New("sim: quirk value out of range")

// SetQuirk sets one quirk switch of a provider ("google" or "facebook"),
// named as in [idp.QuirkSwitches]: 0 is off, 1 is on, or a number of
// seconds. A value out of range is refused with [ErrQuirkValue].
func (w *World) SetQuirk(provider, name string, value int) error {
	if provider != idp.Google && provider != idp.Facebook {
		return fmt.Errorf("sim: no provider named %q", provider)
	}
	for _, sw := range idp.QuirkSwitches() {
		switch {
		case sw.Name != name:
		case sw.Seconds && (value < -MaxQuirkSeconds || value > MaxQuirkSeconds):
			return fmt.Errorf("%w: %s takes -%d to %d seconds, not %d", ErrQuirkValue, name,
				MaxQuirkSeconds, MaxQuirkSeconds, value)
		case !sw.Seconds && value != 0 && value != 1:
			return fmt.Errorf("%w: %s takes 0 (off) or 1 (on), not %d", ErrQuirkValue, name,
				value)
		}
	}
	q := w.idp.Quirks(provider)
	if err := q.Set(name, value); err != nil {
		return err
	}
	w.idp.SetQuirks(provider, q)
	return nil
}

// QuirkValues returns the quirk switches of a provider by field name of
// [idp.Quirks]: 0 or 1 for a switch, or a number of seconds.
func (w *World) QuirkValues(provider string) map[string]int {
	q := reflect.ValueOf(w.idp.Quirks(provider))
	out := map[string]int{}
	for i := range q.NumField() {
		f := q.Field(i)
		switch f.Kind() {
		case reflect.Bool:
			if f.Bool() {
				out[q.Type().Field(i).Name] = 1
			} else {
				out[q.Type().Field(i).Name] = 0
			}
		case reflect.Int:
			out[q.Type().Field(i).Name] = int(f.Int())
		}
	}
	return out
}

// onBooked runs after the travel site's booking was accepted. In the
// forged-callback scenario, the attacker strikes.
func (w *World) onBooked(ctx context.Context, bookingID string) {
	if w.Scenario() != ForgedCallback {
		return
	}
	w.attacks.Add(1)
	go func() {
		defer w.attacks.Done()
		_, _ = w.ForgeCallback(ctx, bookingID)
	}()
}

// ForgeCallback posts a "confirmed" callback for a booking to the travel
// site, signed with a secret the attacker made up, and returns the status
// the site answered (401 when it checks signatures).
func (w *World) ForgeCallback(ctx context.Context, bookingID string) (int, error) {
	secret, _, _, err := secrets(w.cfg.Rand)
	if err != nil {
		return 0, err
	}
	signer, err := booking.NewSigner(secret)
	if err != nil {
		return 0, err
	}
	body, _ := json.Marshal(booking.Event{
		Type: "booking.confirmed", Timestamp: w.cfg.Now().UTC(),
		Data: booking.EventData{BookingID: bookingID, Status: booking.Confirmed},
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost,
		w.cfg.WebOrigin+"/booking/callback", bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	for k, v := range signer.Headers("msg_forged_"+bookingID, w.cfg.Now(), body) {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	attacker := &http.Client{Transport: w.rec.Transport(trace.Attacker, w.namer, w.base)}
	res, err := attacker.Do(req)
	if err != nil {
		return 0, fmt.Errorf("sim: the forged callback was not delivered: %w", err)
	}
	res.Body.Close()
	return res.StatusCode, nil
}
