package workshop

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// loadScenario is the room the load benchmark simulates.
type loadScenario struct {
	learners  int           // simulated learners
	pages     int           // open instructor pages
	every     time.Duration // time between two reports of one learner
	rounds    int           // reports per learner
	interval  time.Duration // the handler's EventInterval; zero means its default
	lessonsIn int           // lessons in the workshop
}

// loadResult is what the scenario measured.
type loadResult struct {
	reports  int
	failed   int
	lat      []time.Duration
	events   int64
	heapMB   float64
	rssMB    float64
	received bool // every page saw the last state
}

// BenchmarkWorkshopLoad runs a room of 200 learners, each reporting every two seconds for
// ten seconds over loopback HTTP, while five instructor pages follow the event stream. It
// reports the latency of a report (p50, p99), the heap in use and the process's RSS at the
// end. One iteration is the whole bounded scenario: run it with -benchtime=1x.
func BenchmarkWorkshopLoad(b *testing.B) {
	sc := loadScenario{learners: 200, pages: 5, every: 2 * time.Second, rounds: 5,
		lessonsIn: 12}
	for b.Loop() {
		res := runLoad(b, sc)
		if res.failed > 0 {
			b.Fatalf("%d of %d reports failed", res.failed, res.reports)
		}
		if !res.received {
			b.Fatal("an instructor page did not see the last reports")
		}
		slices.Sort(res.lat)
		b.ReportMetric(ms(res.lat[len(res.lat)/2]), "p50-ms")
		b.ReportMetric(ms(res.lat[len(res.lat)*99/100]), "p99-ms")
		b.ReportMetric(ms(res.lat[len(res.lat)-1]), "max-ms")
		b.ReportMetric(float64(res.reports), "reports")
		b.ReportMetric(float64(res.events), "page-events")
		b.ReportMetric(res.heapMB, "heap-MB")
		b.ReportMetric(res.rssMB, "rss-MB")
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func runLoad(tb testing.TB, sc loadScenario) loadResult {
	tb.Helper()
	lessons := make([]Lesson, sc.lessonsIn)
	for i := range lessons {
		lessons[i] = Lesson{Number: i + 1, Title: fmt.Sprintf("Lesson %d", i+1), Hints: 3}
	}
	room := NewRoom(lessons, nil)
	h := NewHandler(Config{Room: room, JoinsPerMinute: 10 * sc.learners,
		LearnersPerAddr: MaxLearners, EventInterval: sc.interval})
	srv := httptest.NewServer(h)
	defer srv.Close()
	defer h.Close()
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		MaxIdleConns: 2 * sc.learners, MaxIdleConnsPerHost: 2 * sc.learners}}
	defer client.CloseIdleConnections()

	// Everyone joins.
	tokens := make([]string, sc.learners)
	for i := range tokens {
		var resp joinResponse
		if err := postJSON(client, srv.URL+"/workshop/api/join", "",
			joinRequest{Code: room.Code(), Name: fmt.Sprintf("Learner %03d", i)}, &resp); err != nil {
			tb.Fatalf("join %d: %v", i, err)
		}
		tokens[i] = resp.Token
	}

	// The instructor pages follow the event stream and count events until the last report.
	ctx, cancel := context.WithTimeout(context.Background(),
		time.Duration(sc.rounds+1)*sc.every+20*time.Second)
	defer cancel()
	var events atomic.Int64
	var lastSeen sync.WaitGroup
	for range sc.pages {
		lastSeen.Add(1)
		go followPage(ctx, client, srv.URL, room.InstructorToken(), &events, &lastSeen)
	}

	// Every learner reports every few seconds, starting at a random moment.
	var mu sync.Mutex
	var res loadResult
	var wg sync.WaitGroup
	for i, tok := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), 1))
			if sc.every > 0 {
				time.Sleep(time.Duration(rng.Int64N(int64(sc.every))))
			}
			done := 0
			for range sc.rounds {
				s := simulatedStatus(rng, &done, sc.lessonsIn)
				t0 := time.Now()
				err := postJSON(client, srv.URL+"/workshop/api/report", tok, s, &reportResponse{})
				d := time.Since(t0)
				mu.Lock()
				res.reports++
				res.lat = append(res.lat, d)
				if err != nil {
					res.failed++
				}
				mu.Unlock()
				time.Sleep(sc.every)
			}
		}()
	}
	wg.Wait()

	// One last report everyone's pages must see.
	if err := postJSON(client, srv.URL+"/workshop/api/report", tokens[0], Status{
		Lessons: []LessonStatus{{Lesson: 1, State: StateFailing, FirstFailing: "TestTheEnd"}},
	}, &reportResponse{}); err != nil {
		tb.Fatalf("last report: %v", err)
	}
	seen := make(chan struct{})
	go func() { lastSeen.Wait(); close(seen) }()
	select {
	case <-seen:
		res.received = true
	case <-ctx.Done():
	}
	res.events = events.Load()

	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	res.heapMB = float64(m.HeapInuse) / (1 << 20)
	res.rssMB = rssMB()
	return res
}

// simulatedStatus moves a learner forward now and then.
func simulatedStatus(rng *rand.Rand, done *int, lessons int) Status {
	if rng.IntN(3) == 0 && *done < lessons {
		*done++
	}
	s := Status{}
	for n := 1; n <= *done && n <= lessons; n++ {
		s.Lessons = append(s.Lessons, LessonStatus{Lesson: n, State: StateDone})
	}
	if *done < lessons {
		st := []State{StateFailing, StateDoesNotCompile, StateFailing}[rng.IntN(3)]
		ls := LessonStatus{Lesson: *done + 1, State: st}
		if st == StateFailing {
			ls.FirstFailing = fmt.Sprintf("TestLesson%d/case_%d", *done+1, rng.IntN(3))
		}
		s.Lessons = append(s.Lessons, ls)
	}
	return s
}

// followPage reads an instructor page's event stream until it shows "TestTheEnd".
func followPage(ctx context.Context, client *http.Client, base, tok string, events *atomic.Int64,
	seen *sync.WaitGroup) {
	defer seen.Done()
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/workshop/events", nil)
	req.AddCookie(&http.Cookie{Name: instructorCookie, Value: tok})
	c := *client
	c.Timeout = 0
	resp, err := c.Do(req)
	if err != nil {
		return
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 4<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "event: room") {
			events.Add(1)
		}
		if strings.HasPrefix(line, "data: ") && strings.Contains(line, "TestTheEnd") {
			return
		}
	}
}

func postJSON(client *http.Client, url, tok string, in, out any) error {
	b, _ := json.Marshal(in)
	req, err := http.NewRequest("POST", url, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// rssMB returns the process's resident memory from /proc, or 0 where there is none.
func rssMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			var kb float64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), &kb)
			return kb / 1024
		}
	}
	return 0
}

// TestLoadSmall runs a small, quick version of the load scenario (no pauses between reports)
// in the default test run, so the benchmark's machinery is known to work.
func TestLoadSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("the load scenario is skipped in -short mode")
	}
	res := runLoad(t, loadScenario{learners: 20, pages: 2, rounds: 3, lessonsIn: 5,
		interval: 50 * time.Millisecond})
	if res.failed > 0 {
		t.Fatalf("%d of %d reports failed", res.failed, res.reports)
	}
	if !res.received {
		t.Fatal("an instructor page did not see the last report")
	}
}

// BenchmarkViewJSON measures building and encoding the instructor's view of a full room of
// 200 learners on 12 lessons: the work done at most once per change, whatever the number
// of pages.
func BenchmarkViewJSON(b *testing.B) {
	lessons := make([]Lesson, 12)
	for i := range lessons {
		lessons[i] = Lesson{Number: i + 1, Title: fmt.Sprintf("Lesson %d", i+1), Hints: 3}
	}
	r := NewRoom(lessons, nil)
	rng := rand.New(rand.NewPCG(1, 1))
	var ids []string
	for i := range 200 {
		id, _, _, err := r.Join(r.Code(), fmt.Sprintf("Learner %03d", i))
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, id)
		done := 0
		for range 4 {
			if _, err := r.Report(id, simulatedStatus(rng, &done, len(lessons))); err != nil {
				b.Fatal(err)
			}
		}
	}
	size := 0
	for i := 0; b.Loop(); i++ {
		// A report in between, so every iteration builds the view anew.
		if _, err := r.Report(ids[i%len(ids)], Status{}); err != nil {
			b.Fatal(err)
		}
		js, _ := r.ViewJSON()
		size = len(js)
	}
	b.ReportMetric(float64(size)/1024, "view-KB")
}
