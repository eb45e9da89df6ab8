package workshop

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostileNames are names a learner might type to break the instructor's page or fool it.
var hostileNames = []struct {
	name      string
	input     string
	wantErr   string // empty when the name is accepted
	wantShown string
}{
	{name: "scriptTag", input: `<script>alert(1)</script>`, wantShown: `<script>alert(1)</script>`},
	{name: "imgOnerror", input: `<img src=x onerror=alert(1)>`,
		wantShown: `<img src=x onerror=alert(1)>`},
	{name: "quotes", input: `Ada "the" O'Hara`, wantShown: `Ada "the" O'Hara`},
	{name: "ampersandEntity", input: `&lt;b&gt;`, wantShown: `&lt;b&gt;`},
	{name: "nonLatin", input: "Zoë 李 محمد", wantShown: "Zoë 李 محمد"},
	{name: "rtlOverride", input: "Eve\u202Egnp.exe", wantErr: "U+202E"},
	{name: "zeroWidth", input: "Ad\u200Ba", wantErr: "U+200B"},
	{name: "newline", input: "Ada\nBob", wantErr: "U+000A"},
	{name: "escapeSequence", input: "Ada\x1b[31m", wantErr: "U+001B"},
	{name: "graphemeJoiner", input: "Ada\u034f", wantErr: "U+034F"},
	{name: "hangulFiller", input: "\u3164", wantErr: "U+3164"},
	{name: "halfwidthFiller", input: "Ada\uffa0", wantErr: "U+FFA0"},
	{name: "brailleBlank", input: "\u2800", wantErr: "U+2800"},
	{name: "variationSelector", input: "Ada\ufe0f", wantErr: "U+FE0F"},
	{name: "manyMarks", input: "A" + strings.Repeat("\u0301", 39), wantErr: "too many accents"},
	{name: "threeMarks", input: "Ada\u0301\u0301\u0301", wantErr: "too many accents"},
	{name: "markAlone", input: "\u0301", wantErr: "too many accents"},
	{name: "twoMarks", input: "Ade\u0301\u0302", wantShown: "Ade\u0301\u0302"},
	{name: "onlyPunctuation", input: "---", wantErr: "at least one letter or digit"},
	{name: "chosenSuffix", input: "Ada (2)", wantErr: "number in brackets"},
	{name: "innerSpaces", input: "Ada   Lovelace", wantShown: "Ada Lovelace"},
	{name: "tooLong", input: strings.Repeat("A", MaxNameLen+1), wantErr: "use at most 40"},
	{name: "tenKilobytes", input: strings.Repeat("é", 5<<10), wantErr: "use at most 40"},
	{name: "invalidUTF8", input: "Ada\xff", wantErr: "not valid UTF-8"},
	{name: "empty", input: "   ", wantErr: "a name is required"},
}

func TestCleanNameHostileNames(t *testing.T) {
	for _, tt := range hostileNames {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CleanName(tt.input)
			if tt.wantErr != "" {
				require.Error(t, err, "the name %q must be refused", tt.input)
				assert.Contains(t, err.Error(), tt.wantErr, "the refusal names the problem")
				return
			}
			require.NoError(t, err, "the name %q is a fair name", tt.input)
			assert.Equal(t, tt.wantShown, got)
		})
	}
}

// TestHostileNamesAreEscaped joins with every accepted hostile name and checks that neither
// the room's JSON nor the event stream carries markup a browser would parse. The page puts
// names on screen with textContent; the browser test checks that end of it.
func TestHostileNamesAreEscaped(t *testing.T) {
	h, room := newTestHandler(t, Config{JoinsPerMinute: 100, LearnersPerAddr: 100})
	for _, tt := range hostileNames {
		body, _ := json.Marshal(joinRequest{Code: room.Code(), Name: tt.input})
		w := do(t, h, request{method: "POST", path: "/workshop/api/join", body: string(body)})
		if tt.wantErr != "" {
			assert.Contains(t, []int{http.StatusBadRequest, http.StatusRequestEntityTooLarge},
				w.Code, "the name %q is refused", tt.name)
			continue
		}
		require.Equal(t, http.StatusOK, w.Code, "%s: %s", tt.name, w.Body)
	}

	w := do(t, h, request{method: "GET", path: "/workshop/api/room",
		header: map[string]string{"Authorization": "Bearer " + room.InstructorToken()}})
	require.Equal(t, http.StatusOK, w.Code)
	raw := w.Body.String()
	for _, bad := range []string{"<script", "<img", "\u202E"} {
		assert.NotContains(t, raw, bad, "the room's JSON carries %q escaped", bad)
	}
	var v View
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &v))
	var names []string
	for _, l := range v.Learners {
		names = append(names, l.Name)
	}
	assert.Contains(t, names, `<script>alert(1)</script>`,
		"the name comes back intact once decoded: escaped, not mangled")

	// The page template itself never shows names, only the code and the join command.
	page := do(t, h, request{method: "GET", path: "/workshop",
		cookie: &http.Cookie{Name: instructorCookie, Value: room.InstructorToken()}})
	assert.NotContains(t, page.Body.String(), "alert(1)", "no name is in the page's HTML")
}

func FuzzReport(f *testing.F) {
	f.Add(`{"lessons":[{"lesson":1,"state":"done"}]}`)
	f.Add(`{"lessons":[{"lesson":2,"state":"failing","firstFailing":"TestX/sub_case"}]}`)
	f.Add(`{"lessons":[{"lesson":99,"state":"timedOut","at":"2026-12-04T10:00:00Z"}]}`)
	f.Add(`{"lessons":null}`)
	f.Add(`[]`)
	r := NewRoom(testLessons, nil)
	h := NewHandler(Config{Room: r, ReportsPerMinute: 1 << 30})
	defer h.Close()
	_, tok, _, err := r.Join(r.Code(), "Fuzz")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		w := report(t, h, tok, body)
		switch w.Code {
		case http.StatusOK:
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
			errorOf(t, w)
		default:
			t.Fatalf("a report answered %d; want 200, 400 or 413: %s", w.Code, w.Body)
		}
	})
}

func FuzzCleanName(f *testing.F) {
	for _, tt := range hostileNames {
		f.Add(tt.input)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got, err := CleanName(name)
		if err != nil {
			return
		}
		again, err := CleanName(got)
		if err != nil || again != got {
			t.Fatalf("CleanName(%q) = %q, but cleaning that gives %q, %v", name, got, again, err)
		}
		if got == "" || len([]rune(got)) > MaxNameLen || strings.ContainsAny(got, "\n\r\t\x1b") {
			t.Fatalf("CleanName(%q) accepted %q", name, got)
		}
	})
}

func TestRoomTellsApartNamesThatReadAlike(t *testing.T) {
	r, _ := newTestRoom(t)
	_, _, shown, err := r.Join(r.Code(), "Ada")
	require.NoError(t, err)
	require.Equal(t, "Ada", shown)
	for _, tt := range []struct{ in, want string }{
		{"ada", "ada (2)"},
		{"ADA", "ADA (3)"},
		{"Straße", "Straße"},
		{"STRAßE", "STRAßE (2)"},
	} {
		_, _, shown, err := r.Join(r.Code(), tt.in)
		require.NoError(t, err, "%q is a fair name", tt.in)
		assert.Equal(t, tt.want, shown, "a name that differs only in case is numbered")
	}
}
