package idp

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCustomClaimsRefuseHiddenCharacters checks that the custom-claims form
// refuses characters that hide or disguise what a claim says, with a
// message on the form, and still accepts names that need joiners.
func TestCustomClaimsRefuseHiddenCharacters(t *testing.T) {
	tests := []struct {
		name, field, value string
		wantOK             bool
	}{
		{"Escape", "name", "Eve \x1b[31mAdmin", false},
		{"CarriageReturn", "name", "Eve\rAdmin", false},
		{"LineFeed", "name", "Eve\nAdmin", false},
		{"Tab", "name", "Eve\tAdmin", false},
		{"Delete", "name", "Eve\x7f", false},
		{"C1Control", "name", "Eve\u0085Admin", false},
		{"RightToLeftOverride", "name", "Eve \u202egnp.exe", false},
		{"RightToLeftIsolate", "name", "Eve \u2067x", false},
		{"ZeroWidthSpace", "name", "Ad\u200bmin", false},
		{"ByteOrderMark", "name", "\ufeffAdmin", false},
		{"LineSeparator", "name", "Eve\u2028Admin", false},
		{"InvalidUTF8", "name", "Eve\xff", false},
		{"EmailWithRLO", "email", "eve\u202e@example.com", false},
		{"PlainName", "name", "Zoë O'Brien-Łukasz", true},
		{"PersianWithNonJoiner", "name", "\u0645\u06cc\u200c\u0631\u0648\u0645", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newTestServer(t)
			b := newBrowser(t, InMemoryTransport(s))
			_, page := b.get(authURL(travelParams()))
			form := formFields(t, page)
			form.Set("persona", "custom")
			form.Set("sub", "custom-1")
			form.Set(tt.field, tt.value)

			resp, page := b.post(testBase+"/google/signin", form)
			if tt.wantOK {
				assert.Equal(t, http.StatusSeeOther, resp.StatusCode, "%q is a fine %s: %s",
					tt.value, tt.field, page)
				return
			}
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode,
				"%s %q must be refused", tt.field, tt.value)
			assert.Contains(t, page, "invisible or control character",
				"the form must say what is wrong")
			assert.Contains(t, page, `name="persona" value="custom"`,
				"the refusal is shown on the sign-in form, so the user can fix it")
		})
	}
}

// TestPageFormLimits checks how the sign-in and consent forms read their
// bodies: an oversized body is a 413 page, a multipart body is refused
// unparsed (415), and a field sent twice is an error.
func TestPageFormLimits(t *testing.T) {
	tests := []struct {
		name, path, contentType, body string
		wantStatus                    int
		wantText                      string
	}{
		{"SignInTooLarge", "/google/signin", "application/x-www-form-urlencoded",
			"name=" + strings.Repeat("a", maxPageFormBytes), 413, "The form is too large"},
		{"ConsentTooLarge", "/facebook/consent", "application/x-www-form-urlencoded",
			"x=" + strings.Repeat("a", maxPageFormBytes), 413, "at most 16 KiB"},
		{"SignInMultipart", "/google/signin", "multipart/form-data; boundary=X",
			"--X\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n\r\n" +
				"data\r\n--X--\r\n", 415, "normal HTML form"},
		{"ConsentNoContentType", "/google/consent", "", "txn=a", 415, "normal HTML form"},
		{"SignInTwice", "/google/signin", "application/x-www-form-urlencoded",
			"txn=a&txn=b", 400, "more than once"},
		{"SignInBadEncoding", "/google/signin", "application/x-www-form-urlencoded",
			"txn=%zz", 400, "not valid URL encoding"},
	}
	s, _ := newTestServer(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, testBase+tt.path,
				strings.NewReader(tt.body))
			require.NoError(t, err)
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			resp, err := (&http.Client{Transport: InMemoryTransport(s)}).Do(req)
			require.NoError(t, err)
			page := readBody(t, resp)
			assert.Equal(t, tt.wantStatus, resp.StatusCode, "POST %s: %s", tt.path, page)
			assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"),
				"the answer is a page the user can read")
			assert.Contains(t, page, tt.wantText, "the page must say what is wrong")
		})
	}
}

// FuzzCustomPersona checks the custom-claims form on any input: it never
// panics, and whatever it accepts carries no control or bidirectional
// override character in any claim.
func FuzzCustomPersona(f *testing.F) {
	f.Add("custom-1", "Zoë O'Brien", "zoe@example.com")
	f.Add("x", "Eve \u202egnp.exe", "")
	f.Add("x", "a\x1b[2Jb", "a\r\n@example.com")
	f.Add("x", "\u0645\u06cc\u200c", "\xff@example.com")
	f.Fuzz(func(t *testing.T, sub, name, email string) {
		u, problem := customPersona(url.Values{
			"sub": {sub}, "name": {name}, "email": {email},
		})
		if problem != "" {
			return
		}
		for _, claim := range []string{u.Subject, u.Name, u.GivenName, u.FamilyName, u.Email} {
			if hiddenChars(claim) {
				t.Fatalf("customPersona accepted the claim %q, which hides characters", claim)
			}
		}
	})
}
