package diagram

import (
	"fmt"
	"io"
	"strings"
	"testing"
)

// benchDiagram returns a diagram of n messages among eight participants,
// with activations, notes and a loop every 50 messages: the shape of a long
// simulation trace.
func benchDiagram(n int) []byte {
	var b strings.Builder
	b.WriteString("sequenceDiagram\nautonumber\n")
	names := []string{"Traveller", "Browser", "Site", "Google", "Facebook", "Tickets",
		"Payments", "Mail"}
	open := false
	for i := 0; i < n; i += 2 {
		from, to := names[i%len(names)], names[(i*3+1)%len(names)]
		if i%50 == 0 {
			b.WriteString("loop retry\n")
			open = true
		}
		fmt.Fprintf(&b, "%s->>+%s: request number %d with a label\n", from, to, i)
		fmt.Fprintf(&b, "%s-->>-%s: answer %d\n", to, from, i)
		if i%10 == 0 {
			fmt.Fprintf(&b, "Note over %s: checked %d\n", to, i)
		}
		if i%50 == 48 {
			b.WriteString("end\n")
			open = false
		}
	}
	if open {
		b.WriteString("end\n")
	}
	return []byte(b.String())
}

// BenchmarkRender parses and draws diagrams of 100, 1,000 and 10,000
// messages; ns/op should grow about tenfold at each step.
func BenchmarkRender(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		src := benchDiagram(n)
		b.Run(fmt.Sprintf("messages=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				d, err := Parse(src)
				if err != nil {
					b.Fatal(err)
				}
				if err := Render(d, io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestBenchDiagramIsValid(t *testing.T) {
	for _, n := range []int{100, 1000} {
		d, err := Parse(benchDiagram(n))
		if err != nil {
			t.Fatalf("the benchmark diagram of %d messages should parse: %v", n, err)
		}
		msgs := 0
		var count func([]Item)
		count = func(items []Item) {
			for _, it := range items {
				switch it := it.(type) {
				case *Message:
					msgs++
				case *Block:
					for _, s := range it.Sections {
						count(s.Items)
					}
				}
			}
		}
		count(d.Items)
		if msgs != n {
			t.Errorf("the benchmark diagram should hold %d messages, holds %d", n, msgs)
		}
	}
}
