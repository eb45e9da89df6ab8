package idp

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// tokenGrant is what a token response is issued for.
type tokenGrant struct {
	client   Client
	user     Persona
	scopes   []string
	authTime time.Time
	nonce    string
	grant    *grant
}

// issueTokens stores a new access token and refresh token and returns the
// token response, with an ID token when the openid scope was granted.
func (p *provider) issueTokens(g tokenGrant) (map[string]any, *oauthError) {
	access, err := p.randomString(32)
	if err != nil {
		return nil, serverError
	}
	refresh, err := p.randomString(32)
	if err != nil {
		return nil, serverError
	}
	now := p.now()

	resp := map[string]any{
		"access_token":  access,
		"token_type":    "Bearer",
		"expires_in":    int(accessTokenTTL.Seconds()),
		"refresh_token": refresh,
		"scope":         strings.Join(g.scopes, " "),
	}
	if p.oidc && slices.Contains(g.scopes, "openid") {
		idt, err := p.signIDToken(g, access, now)
		if err != nil {
			return nil, serverError
		}
		resp["id_token"] = idt
	}

	p.mu.Lock()
	defer p.mu.Unlock()
	p.access.put(now, access, &accessToken{
		clientID: g.client.ID, user: g.user, scopes: g.scopes,
		expires: now.Add(accessTokenTTL), grant: g.grant,
	})
	p.refresh.put(now, refresh, &refreshToken{
		clientID: g.client.ID, user: g.user, scopes: g.scopes, authTime: g.authTime,
		expires: now.Add(refreshTTL), grant: g.grant,
	})
	return resp, nil
}

// signIDToken builds and signs an ID token (OpenID Connect Core section 2).
func (p *provider) signIDToken(g tokenGrant, accessToken string, now time.Time) (string, error) {
	q := p.currentQuirks()
	claims := map[string]any{
		"iss":       p.issuer,
		"sub":       g.user.Subject,
		"aud":       g.client.ID,
		"azp":       g.client.ID,
		"iat":       now.Unix(),
		"exp":       now.Add(idTokenTTL).Unix(),
		"auth_time": g.authTime.Unix(),
		"at_hash":   atHash(accessToken),
	}
	switch nonce := g.nonce; {
	case q.DropNonce:
	case q.NonceFromAnotherSession:
		claims["nonce"] = p.otherNonce(nonce)
	case nonce != "":
		claims["nonce"] = nonce
	}
	p.addUserClaims(claims, g.user, g.scopes, q)

	if q.RotateKeysEveryIDToken {
		if err := p.keys.rotate(); err != nil {
			return "", err
		}
	}
	key, err := p.keys.signer()
	if err != nil {
		return "", err
	}
	signer := key.rs256
	if q.SignWithUnlistedAlgorithm {
		signer = key.rs512
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("idp: encoding claims: %w", err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", fmt.Errorf("idp: signing an ID token: %w", err)
	}
	return jws.CompactSerialize()
}

// addUserClaims adds the claims the scopes allow (OpenID Connect Core
// section 5.4), for the ID token and the userinfo response alike.
func (p *provider) addUserClaims(claims map[string]any, u Persona, scopes []string, q Quirks) {
	if slices.Contains(scopes, "email") && u.Email != "" {
		claims["email"] = u.Email
		claims["email_verified"] = u.EmailVerified
		if q.EmailVerifiedAsString {
			claims["email_verified"] = strconv.FormatBool(u.EmailVerified)
		}
	}
	if slices.Contains(scopes, "profile") {
		claims["name"] = u.Name
		claims["given_name"] = u.GivenName
		claims["family_name"] = u.FamilyName
		claims["picture"] = p.pictureURL(u)
	}
}

// otherNonce returns the nonce of another recent authorization request, or
// a made-up one when there is none.
func (p *provider) otherNonce(own string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, n := range p.recentNonces {
		if n != "" && n != own {
			return n
		}
	}
	return "nonce-of-another-session"
}

// atHash is the at_hash claim: the left half of the SHA-256 of the access
// token, base64url-encoded (OpenID Connect Core section 3.1.3.6).
func atHash(accessToken string) string {
	sum := sha256.Sum256([]byte(accessToken))
	return base64.RawURLEncoding.EncodeToString(sum[:len(sum)/2])
}
