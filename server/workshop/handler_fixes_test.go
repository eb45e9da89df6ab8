package workshop

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// joinFrom joins through h from the network address ip and returns the response.
func joinFrom(h http.Handler, ip, code, name string) *httptest.ResponseRecorder {
	body, _ := json.Marshal(joinRequest{Code: code, Name: name})
	r := httptest.NewRequest("POST", "/workshop/api/join", strings.NewReader(string(body)))
	r.RemoteAddr = ip + ":40000"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// instructor returns the header of an instructor's request.
func instructor(room *Room) map[string]string {
	return map[string]string{"Authorization": "Bearer " + room.InstructorToken()}
}

func TestJoinIsCappedPerAddress(t *testing.T) {
	h, room := newTestHandler(t, Config{})
	for i := range DefaultLearnersPerAddr {
		w := joinFrom(h, "192.0.2.1", room.Code(), "Ada "+itoa(i))
		require.Equal(t, http.StatusOK, w.Code, "join %d from one machine: %s", i, w.Body)
	}
	w := joinFrom(h, "192.0.2.1", room.Code(), "Mallory")
	require.Equal(t, http.StatusConflict, w.Code, "one address cannot fill the room")
	assert.Contains(t, errorOf(t, w), "already joined from your address")
	w = joinFrom(h, "192.0.2.2", room.Code(), "Bob")
	assert.Equal(t, http.StatusOK, w.Code, "another address still gets in: %s", w.Body)
}

func TestNewCodeRecoversTheRoom(t *testing.T) {
	room, clock := newTestRoom(t)
	h, _ := newTestHandler(t, Config{Room: room})
	old := room.Code()
	for i := range 3 {
		require.Equal(t, http.StatusOK, joinFrom(h, "192.0.2.66", old, "Bot "+itoa(i)).Code)
	}
	require.Equal(t, http.StatusOK, joinFrom(h, "192.0.2.7", old, "Idle").Code)
	clock.Advance(20 * time.Minute)
	require.Equal(t, http.StatusOK, joinFrom(h, "192.0.2.8", old, "Ada").Code)

	w := do(t, h, request{method: "POST", path: "/workshop/api/newcode", header: instructor(room),
		body: `{"removeAddr":"192.0.2.66","removeIdleMinutes":10}`})
	require.Equal(t, http.StatusOK, w.Code, "the instructor gets a new code: %s", w.Body)
	var resp struct {
		Code    string   `json:"code"`
		Removed []string `json:"removed"`
	}
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &resp))
	assert.NotEqual(t, old, resp.Code, "the code changed")
	assert.Equal(t, resp.Code, room.Code(), "the room uses the new code")
	assert.Len(t, resp.Removed, 4, "the three from one address and the idle one are removed")
	require.Len(t, room.View().Learners, 1, "Ada, who reported recently, stays")
	assert.Equal(t, "Ada", room.View().Learners[0].Name)

	assert.Equal(t, http.StatusForbidden, joinFrom(h, "192.0.2.9", old, "Eve").Code,
		"the old code no longer works")
	assert.Equal(t, http.StatusOK, joinFrom(h, "192.0.2.66", resp.Code, "Bob").Code,
		"the freed address may join again with the new code")
}

func TestNewCodeIsForTheInstructorOnly(t *testing.T) {
	h, room := newTestHandler(t, Config{})
	w := do(t, h, request{method: "POST", path: "/workshop/api/newcode", body: `{}`})
	assert.Equal(t, http.StatusUnauthorized, w.Code, "a learner cannot change the code")
	hdr := instructor(room)
	hdr["Sec-Fetch-Site"] = "cross-site"
	w = do(t, h, request{method: "POST", path: "/workshop/api/newcode", header: hdr, body: `{}`})
	assert.Equal(t, http.StatusForbidden, w.Code, "another site cannot change the code")
	w = do(t, h, request{method: "POST", path: "/workshop/api/newcode", header: instructor(room),
		body: `{"removeIdleMinutes":-1}`})
	assert.Equal(t, http.StatusBadRequest, w.Code, "a negative idle time is refused")
}

func TestCrossSiteRefusalsAreJSON(t *testing.T) {
	h, room := newTestHandler(t, Config{})
	for _, path := range []string{"/workshop/api/unlock", "/workshop/api/remove",
		"/workshop/api/newcode"} {
		hdr := instructor(room)
		hdr["Origin"] = "https://evil.example"
		w := do(t, h, request{method: "POST", path: path, header: hdr,
			body: `{"lesson":1,"what":"hint"}`})
		require.Equal(t, http.StatusForbidden, w.Code, "%s refuses another site", path)
		assert.Contains(t, w.Header().Get("Content-Type"), "application/json",
			"every error is JSON, cross-site refusals too")
		assert.Contains(t, errorOf(t, w), "another site")
	}
}

func TestBadBodiesGetReadableMessages(t *testing.T) {
	h, room := newTestHandler(t, Config{})
	tok := join(t, h, room.Code(), "Ada")
	tests := []struct{ name, body, want string }{
		{"trailing garbage", `{"lessons":[]} {"x":1}`, "more after the JSON object"},
		{"trailing word", `{"lessons":[]}garbage`, "more after the JSON object"},
		{"wrong type", `{"lessons":[{"lesson":"one","state":"done"}]}`,
			`the field "lessons.lesson" must be a whole number, not a string`},
		{"not an object", `[1]`, "send a JSON object, not an array"},
		{"empty", ``, "the body is empty"},
		{"cut short", `{"lessons":[`, "ends too early"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := report(t, h, tok, tt.body)
			require.Equal(t, http.StatusBadRequest, w.Code, "the body is refused: %s", w.Body)
			msg := errorOf(t, w)
			assert.Contains(t, msg, tt.want, "the message says what to change")
			for _, internal := range []string{"Go struct", "LessonStatus", "unmarshal", "int"} {
				assert.NotContains(t, msg, internal, "no Go internals in %q", msg)
			}
		})
	}
	w := do(t, h, request{method: "POST", path: "/workshop/api/join",
		body: `{"code":"` + room.Code() + `","name":"Bob"}x`})
	assert.Equal(t, http.StatusBadRequest, w.Code, "a join with trailing data is refused too")
}

func TestInstructorCookieRedirectIsNotCached(t *testing.T) {
	h, room := newTestHandler(t, Config{})
	w := do(t, h, request{method: "GET", path: "/workshop?token=" + room.InstructorToken()})
	require.Equal(t, http.StatusSeeOther, w.Code)
	require.NotEmpty(t, w.Result().Cookies(), "the answer sets the instructor's cookie")
	assert.Equal(t, "no-store", w.Header().Get("Cache-Control"),
		"an answer that sets the instructor's cookie must not be cached")
}
