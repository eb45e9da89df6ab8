package workshop

import (
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// request describes one request to the handler in a test.
type request struct {
	method, path, body string
	header             map[string]string
	cookie             *http.Cookie
}

// do runs req through h in memory and returns the response.
func do(t *testing.T, h http.Handler, req request) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(req.method, req.path, strings.NewReader(req.body))
	for k, v := range req.header {
		r.Header.Set(k, v)
	}
	if req.cookie != nil {
		r.AddCookie(req.cookie)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// errorOf returns the "error" field of a JSON error answer.
func errorOf(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	var e struct {
		Error string `json:"error"`
	}
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &e), "errors are JSON: %s", w.Body)
	require.NotEmpty(t, e.Error, "an error answer says what went wrong")
	return e.Error
}

func newTestHandler(t *testing.T, cfg Config) (*Handler, *Room) {
	t.Helper()
	if cfg.Room == nil {
		cfg.Room, _ = newTestRoom(t)
	}
	h := NewHandler(cfg)
	t.Cleanup(h.Close)
	return h, cfg.Room
}

// join joins through the handler and returns the learner token.
func join(t *testing.T, h http.Handler, code, name string) string {
	t.Helper()
	body, _ := json.Marshal(joinRequest{Code: code, Name: name})
	w := do(t, h, request{method: "POST", path: "/workshop/api/join", body: string(body)})
	require.Equal(t, http.StatusOK, w.Code, "joining works: %s", w.Body)
	var resp joinResponse
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &resp))
	return resp.Token
}

func report(t *testing.T, h http.Handler, tok, body string) *httptest.ResponseRecorder {
	t.Helper()
	return do(t, h, request{method: "POST", path: "/workshop/api/report", body: body,
		header: map[string]string{"Authorization": "Bearer " + tok}})
}

func TestJoinOverHTTP(t *testing.T) {
	h, room := newTestHandler(t, Config{})
	tests := []struct {
		name     string
		body     string
		wantCode int
		wantMsg  string
	}{
		{"ok", `{"code":"` + room.Code() + `","name":"Ada"}`, 200, ""},
		{"wrongCode", `{"code":"AAAAAA","name":"Ada"}`, 403, "join code is not this workshop's"},
		{"noName", `{"code":"` + room.Code() + `","name":" "}`, 400, "a name is required"},
		{"notJSON", `code=ABC`, 400, "not the JSON the workshop expects"},
		{"huge", `{"code":"` + room.Code() + `","name":"` + strings.Repeat("a", 10<<10) + `"}`,
			413, "larger than 2048 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := do(t, h, request{method: "POST", path: "/workshop/api/join", body: tt.body})
			require.Equal(t, tt.wantCode, w.Code, "status for %s: %s", tt.name, w.Body)
			if tt.wantMsg != "" {
				assert.Contains(t, errorOf(t, w), tt.wantMsg, "the refusal is clear")
			}
		})
	}
}

func TestJoinIsRateLimitedPerAddress(t *testing.T) {
	h, _ := newTestHandler(t, Config{JoinsPerMinute: 3})
	for i := range 3 {
		w := do(t, h, request{method: "POST", path: "/workshop/api/join",
			body: `{"code":"AAAAAA","name":"x"}`})
		require.Equal(t, http.StatusForbidden, w.Code, "attempt %d is answered", i+1)
	}
	w := do(t, h, request{method: "POST", path: "/workshop/api/join",
		body: `{"code":"AAAAAA","name":"x"}`})
	require.Equal(t, http.StatusTooManyRequests, w.Code, "guessing codes is slowed down")
	assert.Contains(t, errorOf(t, w), "too many join attempts")
}

func TestReportOverHTTP(t *testing.T) {
	h, room := newTestHandler(t, Config{})
	tok := join(t, h, room.Code(), "Ada")
	_, err := room.Unlock(2, "hint")
	require.NoError(t, err)

	w := report(t, h, tok, `{"lessons":[{"lesson":1,"state":"done"},`+
		`{"lesson":2,"state":"failing","firstFailing":"TestCalledOnce"}]}`)
	require.Equal(t, http.StatusOK, w.Code, "a good report is accepted: %s", w.Body)
	var resp reportResponse
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &resp))
	assert.Equal(t, Unlocks{"2": {Hints: 1}}, resp.Unlocked,
		"the answer tells the learner what the instructor unlocked")
	assert.Equal(t, 1, room.View().Learners[0].Done, "the report reached the room")

	refusals := []struct {
		name, tok, body string
		wantCode        int
		wantMsg         string
	}{
		{"noToken", "", `{"lessons":[]}`, 401, "needs the learner token"},
		{"wrongToken", "abc.def", `{"lessons":[]}`, 401, "does not know your token"},
		{"badState", tok, `{"lessons":[{"lesson":1,"state":"meh"}]}`, 400, `state "meh"`},
		{"oversized", tok, `{"lessons":[{"lesson":1,"state":"failing","firstFailing":"` +
			strings.Repeat("T", 9000) + `"}]}`, 413, "larger than 8192 bytes"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			w := report(t, h, tt.tok, tt.body)
			require.Equal(t, tt.wantCode, w.Code, "status: %s", w.Body)
			assert.Contains(t, errorOf(t, w), tt.wantMsg, "the refusal is clear")
		})
	}
}

func TestReportFloodIsLimitedPerLearner(t *testing.T) {
	h, room := newTestHandler(t, Config{ReportsPerMinute: 5})
	flooder := join(t, h, room.Code(), "Flood")
	calm := join(t, h, room.Code(), "Calm")
	for i := range 5 {
		require.Equal(t, http.StatusOK, report(t, h, flooder, `{"lessons":[]}`).Code,
			"report %d is within the limit", i+1)
	}
	w := report(t, h, flooder, `{"lessons":[]}`)
	require.Equal(t, http.StatusTooManyRequests, w.Code, "the sixth report in a minute is refused")
	assert.Contains(t, errorOf(t, w), "too many reports")
	assert.Equal(t, http.StatusOK, report(t, h, calm, `{"lessons":[]}`).Code,
		"one learner's flood does not stop another learner on the same address")
}

func TestInstructorToken(t *testing.T) {
	h, room := newTestHandler(t, Config{JoinURLs: []string{"http://192.0.2.7:8080"}})
	tok := room.InstructorToken()

	w := do(t, h, request{method: "GET", path: "/workshop"})
	assert.Equal(t, http.StatusUnauthorized, w.Code, "the page needs the token")
	assert.Contains(t, w.Body.String(), "This page is for the instructor")
	assert.NotContains(t, w.Body.String(), room.Code(), "the refusal does not leak the code")

	w = do(t, h, request{method: "GET", path: "/workshop?token=wrong"})
	assert.Equal(t, http.StatusForbidden, w.Code, "a wrong token is refused")
	assert.Contains(t, w.Body.String(), "Wrong instructor token")

	w = do(t, h, request{method: "GET", path: "/workshop?token=" + tok})
	require.Equal(t, http.StatusSeeOther, w.Code, "the right token sets a cookie and redirects")
	assert.Equal(t, "/workshop", w.Header().Get("Location"), "the token leaves the address bar")
	cookies := w.Result().Cookies()
	require.Len(t, cookies, 1)
	c := cookies[0]
	assert.True(t, c.HttpOnly, "scripts cannot read the instructor cookie")
	assert.Equal(t, http.SameSiteStrictMode, c.SameSite, "other sites cannot use the cookie")

	w = do(t, h, request{method: "GET", path: "/workshop", cookie: c})
	require.Equal(t, http.StatusOK, w.Code, "the cookie opens the page")
	assert.Contains(t, w.Body.String(), "go run . watch --join http://192.0.2.7:8080 --code "+
		room.Code(), "the page shows the join command")
	assert.Contains(t, w.Header().Get("Content-Security-Policy"), "script-src 'self'")

	api := []request{
		{method: "GET", path: "/workshop/api/room"},
		{method: "POST", path: "/workshop/api/unlock", body: `{"lesson":1,"what":"hint"}`},
		{method: "GET", path: "/workshop/events"},
	}
	for _, req := range api {
		w := do(t, h, req)
		assert.Equal(t, http.StatusUnauthorized, w.Code, "%s %s needs the token", req.method,
			req.path)
		req.header = map[string]string{"Authorization": "Bearer " + tok + "x"}
		w = do(t, h, req)
		assert.Equal(t, http.StatusForbidden, w.Code, "%s %s refuses a wrong token", req.method,
			req.path)
		assert.Contains(t, errorOf(t, w), "instructor token is wrong")
	}

	w = do(t, h, request{method: "GET", path: "/workshop/api/room",
		header: map[string]string{"Authorization": "Bearer " + tok}})
	assert.Equal(t, http.StatusOK, w.Code, "a script may use the token as a bearer token")
}

func TestUnlockOverHTTP(t *testing.T) {
	h, room := newTestHandler(t, Config{})
	tok := room.InstructorToken()
	cookie := &http.Cookie{Name: instructorCookie, Value: tok}

	w := do(t, h, request{method: "POST", path: "/workshop/api/unlock", cookie: cookie,
		body:   `{"lesson":1,"what":"hint"}`,
		header: map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "http://evil.test"}})
	assert.Equal(t, http.StatusForbidden, w.Code, "another site cannot unlock with the cookie")
	assert.Empty(t, room.Unlocked(), "nothing was unlocked by the cross-site request")

	w = do(t, h, request{method: "POST", path: "/workshop/api/unlock", cookie: cookie,
		body:   `{"lesson":1,"what":"hint"}`,
		header: map[string]string{"Sec-Fetch-Site": "same-origin"}})
	require.Equal(t, http.StatusOK, w.Code, "the page itself can unlock: %s", w.Body)
	assert.Equal(t, Unlocks{"1": {Hints: 1}}, room.Unlocked())

	w = do(t, h, request{method: "POST", path: "/workshop/api/unlock", cookie: cookie,
		body: `{"lesson":7,"what":"hint"}`})
	assert.Equal(t, http.StatusBadRequest, w.Code)
	assert.Contains(t, errorOf(t, w), "lesson 7 is not part of this workshop")
}

func TestRemoveLearner(t *testing.T) {
	h, room := newTestHandler(t, Config{})
	tok := join(t, h, room.Code(), "Ada")
	id, err := room.Authenticate(tok)
	require.NoError(t, err)
	auth := map[string]string{"Authorization": "Bearer " + room.InstructorToken()}
	w := do(t, h, request{method: "POST", path: "/workshop/api/remove", header: auth,
		body: `{"id":"` + id + `"}`})
	require.Equal(t, http.StatusOK, w.Code, "%s", w.Body)
	w = report(t, h, tok, `{"lessons":[]}`)
	assert.Equal(t, http.StatusGone, w.Code, "a removed learner's token stops working")
	assert.Contains(t, errorOf(t, w), "the instructor removed you")
	w = do(t, h, request{method: "POST", path: "/workshop/api/remove", header: auth,
		body: `{"id":"` + id + `"}`})
	assert.Equal(t, http.StatusNotFound, w.Code, "removing twice says so")
}

func TestUnknownWorkshopPathIsJSON404(t *testing.T) {
	h, _ := newTestHandler(t, Config{})
	w := do(t, h, request{method: "GET", path: "/workshop/nope"})
	assert.Equal(t, http.StatusNotFound, w.Code)
	assert.Contains(t, errorOf(t, w), "no such workshop address")
	w = do(t, h, request{method: "GET", path: "/workshop/static/workshop.html"})
	assert.Equal(t, http.StatusNotFound, w.Code, "templates are not served as assets")
	w = do(t, h, request{method: "GET", path: "/workshop/static/workshop.js"})
	assert.Equal(t, http.StatusOK, w.Code, "the page's script is served")
}

func TestJoinURLs(t *testing.T) {
	got := JoinURLs(&net.TCPAddr{IP: net.IPv4(192, 0, 2, 7), Port: 8080})
	assert.Equal(t, []string{"http://192.0.2.7:8080"}, got, "a specific address is itself")

	got = JoinURLs(&net.TCPAddr{IP: net.IPv4zero, Port: 8080})
	require.NotEmpty(t, got)
	assert.Equal(t, "http://127.0.0.1:8080", got[len(got)-1],
		"on every interface, loopback comes last, for a learner on this machine")
	for _, u := range got {
		assert.True(t, strings.HasSuffix(u, ":8080"), "%s carries the port", u)
	}
}
