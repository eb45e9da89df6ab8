package booking_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"callbacklab/sim/booking"
)

const (
	kaSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	kaID     = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	kaBody   = `{"test": 2432232314}`
	kaSig    = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

func TestSignKnownAnswer(t *testing.T) {
	s, err := booking.NewSigner(kaSecret)
	require.NoError(t, err, "the specification's example secret should be accepted")
	got := s.Sign(kaID, time.Unix(1614265330, 0), []byte(kaBody))
	assert.Equal(t, kaSig, got, "the signature of the specification's example")
}

func TestVerify(t *testing.T) {
	sent := time.Unix(1614265330, 0)
	headers := func(ts, sig string) http.Header {
		h := http.Header{}
		h.Set("webhook-id", kaID)
		h.Set("webhook-timestamp", ts)
		h.Set("webhook-signature", sig)
		return h
	}
	tests := []struct {
		name    string
		now     time.Time
		header  http.Header
		body    string
		wantErr error
	}{
		{"valid", sent, headers("1614265330", kaSig), kaBody, nil},
		{"validAmongSeveral", sent, headers("1614265330", "v1,bad "+kaSig), kaBody, nil},
		{"almostFiveMinutesLater", sent.Add(5 * time.Minute), headers("1614265330", kaSig),
			kaBody, nil},
		{"tooOld", sent.Add(5*time.Minute + time.Second), headers("1614265330", kaSig),
			kaBody, booking.ErrTooOld},
		{"tooNew", sent.Add(-5*time.Minute - time.Second), headers("1614265330", kaSig),
			kaBody, booking.ErrTooNew},
		{"bodyChanged", sent, headers("1614265330", kaSig), `{"test": 1}`, booking.ErrSignature},
		{"timestampChanged", sent, headers("1614265331", kaSig), kaBody, booking.ErrSignature},
		{"missingSignature", sent, headers("1614265330", ""), kaBody, booking.ErrMissingHeaders},
		{"timestampNotNumber", sent, headers("yesterday", kaSig), kaBody, booking.ErrBadTimestamp},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := booking.NewVerifier(kaSecret, func() time.Time { return tt.now })
			require.NoError(t, err)
			id, err := v.Verify(tt.header, []byte(tt.body))
			if tt.wantErr != nil {
				assert.ErrorIs(t, err, tt.wantErr, "the delivery should be refused")
				return
			}
			require.NoError(t, err, "a correctly signed, fresh delivery should be accepted")
			assert.Equal(t, kaID, id, "Verify should return the webhook-id")
		})
	}
}

func TestNewSignerRefusesBadSecret(t *testing.T) {
	for _, secret := range []string{"whsec_", "whsec_***", ""} {
		_, err := booking.NewSigner(secret)
		assert.Error(t, err, "NewSigner(%q) should refuse a secret that is not base64", secret)
	}
}
