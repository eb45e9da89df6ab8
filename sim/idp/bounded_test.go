package idp

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBoundedMap checks the store behind every kind of provider state: it
// never holds more than its bound, makes room by evicting the oldest entry,
// and forgets entries once their time to live has passed.
func TestBoundedMap(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	m := newBoundedMap[int](3, time.Minute)

	for i := range 3 {
		assert.Zero(t, m.put(t0, fmt.Sprint(i), i), "a map with room evicts nothing")
	}
	assert.Equal(t, 1, m.put(t0, "3", 3), "a full map evicts one entry to make room")
	assert.Equal(t, 3, m.len(), "the map stays at its bound")
	_, ok := m.get(t0, "0")
	assert.False(t, ok, "the oldest entry is the one evicted")
	v, ok := m.get(t0, "3")
	assert.True(t, ok && v == 3, "the newest entry is kept")

	later := t0.Add(time.Minute + time.Second)
	_, ok = m.get(later, "3")
	assert.False(t, ok, "an entry older than its time to live is gone")
	m.put(later, "4", 4)
	assert.Equal(t, 1, m.len(), "adding drops every expired entry")

	assert.True(t, m.remove("4"), "remove reports an entry that was there")
	assert.False(t, m.remove("4"), "remove reports an entry that was not")
}

// TestAuthorizeFloodDoesNotLockOut checks that filling the store of pending
// sign-ins, as 10,000 unauthenticated GET /google/authorize requests would,
// does not refuse the next person: the oldest pending sign-ins make room.
func TestAuthorizeFloodDoesNotLockOut(t *testing.T) {
	s, _ := newTestServer(t)
	g := s.providers[Google]
	flood := authRequest{client: g.clients[travelID], redirectURI: travelCallback}
	first, err := g.newPending(flood)
	require.NoError(t, err)
	for range maxPending {
		_, err := g.newPending(flood)
		require.NoError(t, err, "a full store must make room, not refuse")
	}

	b := newBrowser(t, InMemoryTransport(s))
	got := b.login(Google, authURL(travelParams()))
	assert.NotEmpty(t, got.Get("code"), "a real user signs in at once after a flood: %v", got)
	assert.LessOrEqual(t, g.pending.len(), maxPending, "the pending sign-ins stay bounded")
	_, ok := g.lookupPending(first.id)
	assert.False(t, ok, "the oldest pending sign-in was evicted to make room")
}

// TestSessionFloodDoesNotLockOut checks that 10,000 login sessions do not
// stop the next person from signing in ("Too many people are signed in").
func TestSessionFloodDoesNotLockOut(t *testing.T) {
	s, _ := newTestServer(t)
	g := s.providers[Google]
	alice, _ := g.persona("alice")
	for range maxSessions {
		_, err := g.startSession("", alice)
		require.NoError(t, err, "a full session store must make room, not refuse")
	}

	b := newBrowser(t, InMemoryTransport(s))
	got := b.login(Google, authURL(travelParams()))
	assert.NotEmpty(t, got.Get("code"), "a real user signs in at once after a flood: %v", got)
	assert.Equal(t, maxSessions, g.sessions.len(), "the login sessions stay bounded")
}

// TestCodesAndTokensAreBounded checks that codes, access tokens and refresh
// tokens are bounded by count as well as by time, evicting the oldest.
func TestCodesAndTokensAreBounded(t *testing.T) {
	s, _ := newTestServer(t)
	g := s.providers[Google]
	alice, _ := g.persona("alice")
	req := authRequest{client: g.clients[travelID], redirectURI: travelCallback}
	sess := session{user: alice}

	firstCode, err := g.issueCode(req, sess)
	require.NoError(t, err)
	for range maxCodes {
		_, err := g.issueCode(req, sess)
		require.NoError(t, err)
	}
	assert.Equal(t, maxCodes, g.codes.len(), "codes stay bounded")
	resp, body := tokenRequest(t, s, codeForm(firstCode), travelID, travelSecret)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "an evicted code no longer works")
	assert.Equal(t, errInvalidGrant, decodeTokenError(t, body).Error, body)

	// No openid scope, so that no ID token is signed: this is about storage.
	tg := tokenGrant{client: g.clients[travelID], user: alice, scopes: []string{"email"},
		grant: &grant{}}
	first, oerr := g.issueTokens(tg)
	require.Nil(t, oerr)
	for range maxTokens {
		_, oerr := g.issueTokens(tg)
		require.Nil(t, oerr)
	}
	assert.Equal(t, maxTokens, g.access.len(), "access tokens stay bounded")
	assert.Equal(t, maxTokens, g.refresh.len(), "refresh tokens stay bounded")
	resp, body = tokenRequest(t, s, map[string][]string{
		"grant_type": {"refresh_token"}, "refresh_token": {first["refresh_token"].(string)},
	}, travelID, travelSecret)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "an evicted refresh token fails")
	assert.Equal(t, errInvalidGrant, decodeTokenError(t, body).Error, body)
}

// TestUsedCodeReplayAfterExpiryStillRevokes checks that a code replayed
// after its 60 seconds is still recognised as a replay: the provider
// remembers codes longer than they work.
func TestUsedCodeReplayAfterExpiryStillRevokes(t *testing.T) {
	s, clock := newTestServer(t)
	code := freshCode(t, s, travelParams())
	resp, body := tokenRequest(t, s, codeForm(code), travelID, travelSecret)
	require.Equal(t, http.StatusOK, resp.StatusCode, "the first redemption works: %s", body)

	clock.Advance(5 * time.Minute)
	freshCode(t, s, travelParams()) // storing a code drops the expired ones
	resp, body = tokenRequest(t, s, codeForm(code), travelID, travelSecret)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "a replay is refused")
	assert.Contains(t, body, "already used", "a late replay is still named as a replay")
}
