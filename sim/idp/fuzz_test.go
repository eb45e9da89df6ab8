package idp

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// FuzzAuthorize sends arbitrary query strings and form bodies to both
// authorization endpoints: no panic, never a 500.
func FuzzAuthorize(f *testing.F) {
	f.Add(travelParams().Encode(), false)
	f.Add("client_id=travel&redirect_uri=%zz", false)
	f.Add("client_id=travel&client_id=travel", true)
	f.Add(strings.Replace(travelParams().Encode(), "S256", "S512", 1)+"&prompt=none", false)
	f.Add("response_type=code&client_id=travel-fb&redirect_uri="+facebookCallbck, true)
	s, _ := newTestServer(f)

	f.Fuzz(func(t *testing.T, query string, post bool) {
		for _, path := range []string{"/google/authorize", "/facebook/dialog/oauth"} {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.URL.RawQuery = query
			if post {
				req = httptest.NewRequest(http.MethodPost, path, strings.NewReader(query))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Fatalf("%s with %q answered %d, want no 5xx:\n%s", path, query, rec.Code,
					rec.Body)
			}
			checkRedirect(t, rec.Header().Get("Location"))
		}
	})
}

// checkRedirect fails unless loc is empty or a registered redirect URI with
// an error_description RFC 6749 allows.
func checkRedirect(t *testing.T, loc string) {
	t.Helper()
	if loc == "" {
		return
	}
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatalf("Location %q does not parse: %v", loc, err)
	}
	target := u.Scheme + "://" + u.Host + u.Path
	registered := []string{travelCallback, otherCallback, publicCallback, facebookCallbck,
		strings.Split(legacyCallback, "?")[0]}
	if !slices.Contains(registered, target) {
		t.Fatalf("redirected to %q, which no client registered", loc)
	}
	if d := u.Query().Get("error_description"); !descriptionCharset.MatchString(d) {
		t.Fatalf("error_description %q has characters RFC 6749 forbids", d)
	}
}

// FuzzToken sends arbitrary bodies and Authorization headers to both token
// endpoints: no panic, never a 500, and always a JSON body.
func FuzzToken(f *testing.F) {
	f.Add(codeForm("x").Encode(), "Basic dHJhdmVsOnRyYXZlbC1zZWNyZXQ=",
		"application/x-www-form-urlencoded")
	f.Add("grant_type=refresh_token&refresh_token=a&refresh_token=b", "", "text/plain")
	f.Add("grant_type=authorization_code&client_id=spa&code=%%", "Bearer x",
		"application/x-www-form-urlencoded; charset=utf-8")
	f.Add("client_secret=a&grant_type=password", "Basic %%%", "application/json")
	s, _ := newTestServer(f)

	f.Fuzz(func(t *testing.T, body, auth, contentType string) {
		for _, path := range []string{"/google/token", "/facebook/oauth/access_token"} {
			req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
			req.Header.Set("Content-Type", contentType)
			req.Header.Set("Authorization", auth)
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Fatalf("%s with %q answered %d, want no 5xx:\n%s", path, body, rec.Code,
					rec.Body)
			}
			var body map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("%s answered with a body that is not JSON: %q", path, rec.Body)
			}
			if d, _ := body["error_description"].(string); !descriptionCharset.MatchString(d) {
				t.Fatalf("%s: error_description %q has characters RFC 6749 forbids", path, d)
			}
		}
	})
}

// FuzzPageForms sends arbitrary bodies to the sign-in and consent forms.
func FuzzPageForms(f *testing.F) {
	f.Add("txn=a&csrf=b&persona=alice")
	f.Add("txn=a&txn=b")
	f.Add("persona=custom&sub=%00")
	s, _ := newTestServer(f)

	f.Fuzz(func(t *testing.T, body string) {
		for _, path := range []string{"/google/signin", "/google/consent", "/facebook/signin"} {
			req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Fatalf("%s with %q answered %d", path, body, rec.Code)
			}
		}
	})
}
