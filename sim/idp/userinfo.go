package idp

import (
	"net/http"
	"slices"
	"strings"
)

// bearerToken finds the access token of a request (RFC 6750 section 2). It
// returns "" and nil when there is none at all.
func (p *provider) bearerToken(r *http.Request) (string, *oauthError) {
	header := r.Header.Get("Authorization")
	query := r.URL.Query()["access_token"]
	if !p.oidc && len(query) > 0 { // Facebook's Graph API also takes it in the query
		if header != "" || len(query) > 1 {
			return "", oauthErrorf(errInvalidRequest, "send the access token only once")
		}
		return query[0], nil
	}
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", nil
	}
	if token = strings.TrimSpace(token); token == "" {
		return "", oauthErrorf(errInvalidRequest, "the Authorization header has no token")
	}
	return token, nil
}

// authorizeBearer checks the access token of a request and returns what it
// grants, or writes the RFC 6750 error and returns false.
func (p *provider) authorizeBearer(w http.ResponseWriter, r *http.Request) (accessToken, bool) {
	raw, oerr := p.bearerToken(r)
	if oerr != nil || raw == "" {
		p.writeBearerError(w, oerr)
		return accessToken{}, false
	}
	now := p.now()
	p.mu.Lock()
	t, ok := p.access.get(now, raw)
	valid := ok && now.Before(t.expires) && !t.grant.revoked
	var cp accessToken
	if valid {
		cp = *t
	}
	p.mu.Unlock()
	if !valid {
		p.writeBearerError(w, oauthErrorf(errInvalidToken,
			"the access token is unknown, expired or revoked"))
		return accessToken{}, false
	}
	return cp, true
}

// userinfo is Google's userinfo endpoint (OpenID Connect Core section 5.3).
func (p *provider) userinfo(w http.ResponseWriter, r *http.Request) {
	t, ok := p.authorizeBearer(w, r)
	if !ok {
		return
	}
	claims := map[string]any{"sub": t.user.Subject}
	p.addUserClaims(claims, t.user, t.scopes, p.currentQuirks())
	writeJSON(w, http.StatusOK, "application/json", claims)
}

// profile is Facebook's /me endpoint: the user as JSON, with the fields
// asked for in ?fields= (default id,name), as far as the scopes allow.
func (p *provider) profile(w http.ResponseWriter, r *http.Request) {
	t, ok := p.authorizeBearer(w, r)
	if !ok {
		return
	}
	fields := "id,name"
	if f := r.URL.Query().Get("fields"); f != "" {
		fields = f
	}
	out := map[string]any{}
	for _, f := range strings.Split(fields, ",") {
		switch strings.TrimSpace(f) {
		case "id":
			out["id"] = t.user.Subject
		case "name":
			out["name"] = t.user.Name
		case "first_name":
			out["first_name"] = t.user.GivenName
		case "last_name":
			out["last_name"] = t.user.FamilyName
		case "picture":
			out["picture"] = map[string]any{"data": map[string]any{
				"url": p.pictureURL(t.user), "width": 96, "height": 96,
				"is_silhouette": false,
			}}
		case "email":
			if slices.Contains(t.scopes, "email") && t.user.Email != "" {
				out["email"] = t.user.Email
			}
		default:
			writeGraphError(w, "(#100) unknown field "+quote(f)+
				"; known: id, name, first_name, last_name, picture, email")
			return
		}
	}
	writeJSON(w, http.StatusOK, "application/json", out)
}
