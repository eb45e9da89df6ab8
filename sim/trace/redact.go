package trace

import "strings"

// secretParams are the query parameters whose values a diagram never
// shows: a code or token on screen could be replayed by whoever sees it.
var secretParams = map[string]bool{
	"code": true, "state": true, "nonce": true, "code_verifier": true,
	"access_token": true, "id_token": true, "refresh_token": true, "token": true,
	"client_secret": true, "client_assertion": true, "logout_token": true,
}

// redactURL replaces the values of secret query and fragment parameters of
// a URL or path with "…", as in "/auth/callback?code=…&state=…&iss=...".
func redactURL(u string) string {
	if !strings.ContainsAny(u, "?#") {
		return u
	}
	cut := strings.IndexAny(u, "?#")
	var b strings.Builder
	b.WriteString(u[:cut])
	rest := u[cut:]
	for rest != "" {
		// rest starts with "?", "#" or "&": copy the separator, then one
		// key=value pair up to the next separator.
		b.WriteByte(rest[0])
		rest = rest[1:]
		end := strings.IndexAny(rest, "&#?")
		if end < 0 {
			end = len(rest)
		}
		pair := rest[:end]
		rest = rest[end:]
		key, _, hasValue := strings.Cut(pair, "=")
		if hasValue && secretParams[strings.ToLower(key)] {
			b.WriteString(key + "=…")
			continue
		}
		b.WriteString(pair)
	}
	return b.String()
}
