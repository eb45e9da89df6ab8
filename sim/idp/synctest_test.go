package idp

import (
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCodeLifetimeInSynctest runs the provider on the default clock inside a
// synctest bubble, as the lessons do: a code works for 60 seconds, and not
// one second longer.
func TestCodeLifetimeInSynctest(t *testing.T) {
	cfg := testConfig(t, &testClock{}) // loads the keys outside the bubble
	cfg.Now = nil                      // time.Now, which synctest controls

	synctest.Test(t, func(t *testing.T) {
		s, err := New(cfg)
		require.NoError(t, err)

		code := freshCode(t, s, travelParams())
		time.Sleep(60 * time.Second)
		resp, body := tokenRequest(t, s, codeForm(code), travelID, travelSecret)
		assert.Equal(t, http.StatusOK, resp.StatusCode, "a 60-second-old code works: %s", body)

		code = freshCode(t, s, travelParams())
		time.Sleep(61 * time.Second)
		resp, body = tokenRequest(t, s, codeForm(code), travelID, travelSecret)
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "a 61-second-old code expired")
		assert.Equal(t, errInvalidGrant, decodeTokenError(t, body).Error, body)
	})
}
