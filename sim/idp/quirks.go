package idp

import (
	"fmt"
	"reflect"
)

// Quirks are deliberate misbehaviours of one provider, each off by default.
// They reproduce what real providers and lax mocks do, so that a lesson or
// the simulation can show how a client copes. The ID token switches do
// nothing at Facebook (mock), which issues no ID tokens.
type Quirks struct {
	// ExpiresInAsString sends expires_in as a JSON string such as "3600".
	ExpiresInAsString bool

	// TokenResponseAsTextPlain sends token responses as text/plain.
	TokenResponseAsTextPlain bool

	// TokenErrorWithStatusOK sends token endpoint errors with status 200.
	TokenErrorWithStatusOK bool

	// EmailVerifiedAsString sends email_verified as the string "true" or "false".
	EmailVerifiedAsString bool

	// ClockSkewSeconds moves the provider's clock by this many seconds.
	ClockSkewSeconds int

	// RotateKeysEveryIDToken signs each ID token with a key newer than the last.
	RotateKeysEveryIDToken bool

	// SignWithUnlistedAlgorithm signs ID tokens with RS512, which discovery omits.
	SignWithUnlistedAlgorithm bool

	// DropNonce leaves the nonce out of ID tokens even when the client sent one.
	DropNonce bool

	// NonceFromAnotherSession puts the nonce of another recent sign-in in ID tokens.
	NonceFromAnotherSession bool
}

// QuirkSwitch describes one field of [Quirks] for a control panel.
type QuirkSwitch struct {
	// Name is the field name, such as "DropNonce".
	Name string

	// Doc is the field's one-sentence description.
	Doc string

	// Seconds is true for a number of seconds, false for an on/off switch.
	Seconds bool
}

// quirkDocs repeats the field comments of Quirks for QuirkSwitches; a test
// checks that every field is listed.
func quirkDocs() map[string]string {
	return map[string]string{
		"ExpiresInAsString":         `Sends expires_in as a JSON string such as "3600".`,
		"TokenResponseAsTextPlain":  "Sends token responses as text/plain.",
		"TokenErrorWithStatusOK":    "Sends token endpoint errors with status 200.",
		"EmailVerifiedAsString":     `Sends email_verified as the string "true" or "false".`,
		"ClockSkewSeconds":          "Moves the provider's clock by this many seconds.",
		"RotateKeysEveryIDToken":    "Signs each ID token with a key newer than the last.",
		"SignWithUnlistedAlgorithm": "Signs ID tokens with RS512, which discovery omits.",
		"DropNonce":                 "Leaves the nonce out of ID tokens even when the client sent one.",
		"NonceFromAnotherSession":   "Puts the nonce of another recent sign-in in ID tokens.",
	}
}

// QuirkSwitches lists the fields of [Quirks] in order.
func QuirkSwitches() []QuirkSwitch {
	t, docs := reflect.TypeFor[Quirks](), quirkDocs()
	out := make([]QuirkSwitch, 0, t.NumField())
	for f := range t.Fields() {
		out = append(out, QuirkSwitch{
			Name: f.Name, Doc: docs[f.Name], Seconds: f.Type.Kind() == reflect.Int,
		})
	}
	return out
}

// Set sets the switch called name: 0 is off and 1 is on, or a number of
// seconds for ClockSkewSeconds.
func (q *Quirks) Set(name string, value int) error {
	f := reflect.ValueOf(q).Elem().FieldByName(name)
	switch {
	case !f.IsValid():
		return fmt.Errorf("idp: no quirk named %q", name)
	case f.Kind() == reflect.Bool:
		f.SetBool(value != 0)
	default:
		f.SetInt(int64(value))
	}
	return nil
}
