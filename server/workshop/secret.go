package workshop

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// codeAlphabet leaves out letters and digits that read alike (0 O, 1 I L), so a code on a
// projector can be typed without doubt.
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// codeLen is the length of a join code: 31^6, about 887 million codes, against a join
// endpoint that is rate-limited per address.
const codeLen = 6

// newCode returns a fresh join code.
func newCode() string {
	b := make([]byte, codeLen)
	for i := range b {
		// rand.Text would do, but its alphabet keeps look-alike characters.
		var x [1]byte
		for {
			rand.Read(x[:])
			// Reject the top of the byte range so every letter is equally likely.
			if int(x[0]) < 256/len(codeAlphabet)*len(codeAlphabet) {
				break
			}
		}
		b[i] = codeAlphabet[int(x[0])%len(codeAlphabet)]
	}
	return string(b)
}

// normalizeCode makes typing a code forgiving: case, spaces and dashes do not matter.
func normalizeCode(code string) string {
	code = strings.ToUpper(code)
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, code)
}

// newSecret returns 32 random bytes, URL-safe base64 encoded.
func newSecret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// newID returns a short random learner id.
func newID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// hashSecret returns the hex SHA-256 of a secret; the room keeps only this for learners.
func hashSecret(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// equalSecret compares two secrets in constant time.
func equalSecret(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// splitToken splits a learner token "ID.SECRET".
func splitToken(tok string) (id, secret string, ok bool) {
	return strings.Cut(tok, ".")
}
