package trace_test

import (
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"callbacklab/sim/trace"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func fixedNow() time.Time { return time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC) }

func TestEscape(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "plain", in: "GET /travel", want: "GET /travel"},
		{name: "semicolon", in: "a;b", want: "a#59;b"},
		{name: "hash", in: "#frag", want: "#35;frag"},
		{name: "hashThenSemicolon", in: "#;", want: "#35;#59;"},
		{name: "newlines", in: "a\nb\r\nc", want: "a b c"},
		{name: "angles", in: "<script>", want: "#lt;script#gt;"},
		{name: "long", in: strings.Repeat("x", 100), want: strings.Repeat("x", 69) + "..."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, trace.Escape(tt.in), "Escape(%q)", tt.in)
		})
	}
}

func TestMermaidID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Browser", "Browser"},
		{"evil->>x", "evil___x"},
		{"9lives", "P9lives"},
		{"", "P"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, trace.MermaidID(tt.in), "MermaidID(%q)", tt.in)
	}
}

func TestRecorderBounds(t *testing.T) {
	rec := trace.NewRecorder(trace.Config{MaxJourneys: 2, MaxHops: 3, Now: fixedNow})
	for _, id := range []string{"ja", "jb", "jc"} {
		for range 5 {
			rec.Record(id, trace.Hop{From: trace.Browser, To: trace.Travel, Method: "GET"})
		}
	}
	js := rec.Journeys()
	require.Len(t, js, 2, "the oldest journey should be forgotten beyond MaxJourneys")
	assert.Equal(t, "jb", js[0].ID, "journeys should be kept oldest first")
	assert.Len(t, js[1].Hops, 3, "a journey should keep at most MaxHops hops")
	assert.Equal(t, 2, js[1].Dropped, "hops beyond MaxHops should be counted as dropped")
	latest, ok := rec.Latest()
	require.True(t, ok, "Latest should find the journey that gained the last hop")
	assert.Equal(t, "jc", latest.ID)
}

func TestRecorderClipsLongText(t *testing.T) {
	rec := trace.NewRecorder(trace.Config{Now: fixedNow})
	rec.Record("ja", trace.Hop{Path: "/" + strings.Repeat("é", 1000)})
	j, _ := rec.Journey("ja")
	assert.LessOrEqual(t, len(j.Hops[0].Path), 512, "long paths are cut to bound memory")
	assert.True(t, utf8.ValidString(j.Hops[0].Path), "and cut between characters")
}

func TestSubscribeGetsEvents(t *testing.T) {
	rec := trace.NewRecorder(trace.Config{Now: fixedNow})
	events, cancel := rec.Subscribe(1)
	rec.Record("ja", trace.Hop{From: trace.Browser, To: trace.Travel, Method: "GET", Path: "/"})
	rec.Record("ja", trace.Hop{From: trace.Browser, To: trace.Travel, Method: "GET", Path: "/2"})
	ev := <-events
	assert.Equal(t, "ja", ev.JourneyID)
	assert.Equal(t, 1, ev.Hop.Seq, "the first event should be the first hop")
	cancel()
	cancel()
	_, open := <-events
	assert.False(t, open, "cancel should close the channel and be safe to call twice")
}

func TestMiddlewareAndTransport(t *testing.T) {
	rec := trace.NewRecorder(trace.Config{Now: fixedNow})

	// book_ticket answers the travel site.
	var received string
	booking := rec.Middleware(trace.Fixed(trace.Booking), trace.MiddlewareOptions{})(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			received = trace.JourneyFrom(r.Context())
			w.Header().Set("Location", "/bookings/bk_1")
			w.WriteHeader(http.StatusAccepted)
		}))
	bookingSrv := httptest.NewServer(booking)
	defer bookingSrv.Close()
	client := &http.Client{Transport: rec.Transport(trace.Travel, trace.Fixed(trace.Booking), nil)}

	// The travel site serves the browser and calls book_ticket.
	site := rec.Middleware(trace.Fixed(trace.Travel), trace.MiddlewareOptions{StartJourneys: true})(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			req, _ := http.NewRequestWithContext(r.Context(), "POST", bookingSrv.URL+"/bookings", nil)
			res, err := client.Do(req)
			if assert.NoError(t, err) {
				res.Body.Close()
			}
			http.Redirect(w, r, "/travel/bookings", http.StatusSeeOther)
		}))
	req := httptest.NewRequest("POST", "/travel/book", nil)
	req.AddCookie(&http.Cookie{Name: trace.JourneyCookie, Value: "jx"})
	site.ServeHTTP(httptest.NewRecorder(), req)

	assert.Equal(t, "jx", received, "the receiver should learn the journey from the header")
	j, ok := rec.Journey("jx")
	require.True(t, ok, "the journey named by the cookie should exist")
	type hop struct{ From, To, Method, Path, Note string }
	var got []hop
	for _, h := range j.Hops {
		got = append(got, hop{h.From, h.To, h.Method, h.Path, h.Note})
	}
	want := []hop{
		{trace.Browser, trace.Travel, "POST", "/travel/book", "redirect to /travel/bookings"},
		{trace.Travel, trace.Booking, "POST", "/bookings", "see /bookings/bk_1"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hops recorded, in the order they started (-want +got):\n%s", diff)
	}
	wantArrows := `sequenceDiagram
    participant Browser as Browser
    participant Travel as Travel site
    participant Booking as book_ticket
    Browser->>Travel: POST /travel/book
    Travel->>Booking: POST /bookings
    Booking-->>Travel: 202 Accepted, see /bookings/bk_1
    Travel-->>Browser: 303 See Other, redirect to /travel/bookings
`
	if diff := cmp.Diff(wantArrows, string(j.Mermaid())); diff != "" {
		t.Errorf("the call to book_ticket is drawn inside the browser's request "+
			"(-want +got):\n%s", diff)
	}

	// A browser with no journey gets one.
	w := httptest.NewRecorder()
	site.ServeHTTP(w, httptest.NewRequest("GET", "/travel", nil))
	assert.Contains(t, w.Header().Get("Set-Cookie"), trace.JourneyCookie+"=j",
		"the travel site should start a journey for a new browser")
}

func TestMermaidGolden(t *testing.T) {
	j := trace.Journey{ID: "ja", Hops: []trace.Hop{
		{From: trace.Browser, To: trace.Travel, Method: "POST", Path: "/travel/book",
			Status: 303, Note: "redirect to /travel/signin"},
		{From: trace.Travel, To: trace.Google, Method: "POST", Path: "/google/token", Status: 200},
		{From: trace.Travel, To: trace.Booking, Method: "POST", Path: "/bookings", Status: 202},
		{From: trace.Booking, To: trace.Travel, Method: "POST", Path: "/booking/callback"},
		{From: "Evil;x", To: trace.Travel, Method: "GET", Path: "/a#b;c\nd", Status: 404},
	}, Dropped: 2}
	got := j.Mermaid()

	golden := filepath.Join("testdata", "journey.mmd")
	if *update {
		require.NoError(t, os.WriteFile(golden, got, 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "run go test ./sim/trace -update to create the golden file")
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("Mermaid text (-want +got):\n%s", diff)
	}
}

// browserGet sends a browser request through the travel site's middleware.
func browserGet(h http.Handler, target, cookie string, header http.Header) {
	req := httptest.NewRequest("GET", target, nil)
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: trace.JourneyCookie, Value: cookie})
	}
	for k, v := range header {
		req.Header[k] = v
	}
	h.ServeHTTP(httptest.NewRecorder(), req)
}

func travelSite(rec *trace.Recorder) http.Handler {
	return rec.Middleware(trace.Fixed(trace.Travel), trace.MiddlewareOptions{StartJourneys: true})(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/travel?code=secret-code&state=secret-state",
				http.StatusFound)
		}))
}

func TestForgedJourneyHeaderIsIgnored(t *testing.T) {
	rec := trace.NewRecorder(trace.Config{Now: fixedNow})
	site := travelSite(rec)
	browserGet(site, "/travel", "jy", http.Header{trace.JourneyHeader: {"jy"}})
	j, ok := rec.Journey("jy")
	require.True(t, ok, "a browser's own header must not hide its request")
	assert.Len(t, j.Hops, 1, "the request is recorded in the browser's journey")
}

func TestCookielessRequestsDoNotEvictJourneys(t *testing.T) {
	rec := trace.NewRecorder(trace.Config{Now: fixedNow})
	site := travelSite(rec)
	browserGet(site, "/travel", "jalice", nil)
	for range 55 {
		browserGet(site, "/travel", "", nil)
	}
	_, ok := rec.Journey("jalice")
	assert.True(t, ok, "55 cookie-less requests must not push a traveller's journey out")
	assert.Len(t, rec.Journeys(), 1, "cookie-less requests start no journey")
}

func TestTraceRedactsCodesAndState(t *testing.T) {
	rec := trace.NewRecorder(trace.Config{Now: fixedNow})
	site := travelSite(rec)
	browserGet(site, "/auth/callback?code=abc&state=xyz&iss=http%3A%2F%2Fidp", "ja", nil)
	j, _ := rec.Journey("ja")
	require.Len(t, j.Hops, 1)
	assert.Equal(t, "/auth/callback?code=…&state=…&iss=http%3A%2F%2Fidp", j.Hops[0].Path,
		"the code and state are not shown")
	assert.Equal(t, "redirect to /travel?code=…&state=…", j.Hops[0].Note,
		"nor in a redirect's Location")
}

func FuzzRedactedPath(f *testing.F) {
	f.Add("/auth/callback?code=abc&state=xyz", "secretvalue")
	f.Add("/x#access_token=t&y=1", "zz")
	f.Fuzz(func(t *testing.T, path, secret string) {
		if secret == "" || strings.ContainsAny(secret, "&#") {
			return
		}
		rec := trace.NewRecorder(trace.Config{Now: fixedNow})
		p := path + "?code=" + secret
		rec.Record("ja", trace.Hop{Path: p})
		j, _ := rec.Journey("ja")
		got := j.Hops[0].Path
		if strings.HasSuffix(got, "code="+secret) && !strings.HasSuffix(secret, "…") &&
			len(p) <= 512 {
			t.Fatalf("the code's value is shown in %q", got)
		}
	})
}
