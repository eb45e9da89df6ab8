package idp

import (
	"net/http"
)

// discovery serves the OpenID Provider metadata (OpenID Connect Discovery
// 1.0 section 3).
func (p *provider) discovery(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, "application/json", map[string]any{
		"issuer":                                p.issuer,
		"authorization_endpoint":                p.issuer + p.paths.authorize,
		"token_endpoint":                        p.issuer + p.paths.token,
		"userinfo_endpoint":                     p.issuer + p.paths.userinfo,
		"jwks_uri":                              p.issuer + "/jwks",
		"response_types_supported":              []string{"code"},
		"response_modes_supported":              []string{"query"},
		"grant_types_supported":                 []string{"authorization_code", "refresh_token"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"scopes_supported":                      p.scopesFor(),
		"token_endpoint_auth_methods_supported": []string{
			"client_secret_basic", "client_secret_post", "none",
		},
		"claims_supported": []string{
			"iss", "sub", "aud", "azp", "iat", "exp", "auth_time", "nonce", "at_hash",
			"email", "email_verified", "name", "given_name", "family_name", "picture",
		},
		"code_challenge_methods_supported":               []string{"S256", "plain"},
		"prompt_values_supported":                        []string{"none", "login", "consent"},
		"authorization_response_iss_parameter_supported": true,
	})
}

// jwks serves the public signing keys (RFC 7517).
func (p *provider) jwks(w http.ResponseWriter, r *http.Request) {
	set, err := p.keys.jwks()
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, "application/json",
			map[string]string{"error": errServerError})
		return
	}
	writeJSON(w, http.StatusOK, "application/json", set)
}
