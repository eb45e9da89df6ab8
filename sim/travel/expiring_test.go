package travel

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestExpiring(t *testing.T) {
	start := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	e := newExpiring[int](3, 10*time.Minute)
	for i := range 4 {
		e.put(start, fmt.Sprint(i), i)
	}
	_, ok := e.get(start, "0")
	assert.False(t, ok, "the oldest entry is evicted beyond the cap")
	assert.Equal(t, 3, e.len(), "the cap holds")

	v, ok := e.take(start, "1")
	assert.True(t, ok && v == 1, "take returns a live entry")
	_, ok = e.take(start, "1")
	assert.False(t, ok, "an entry is taken once")

	_, ok = e.get(start.Add(11*time.Minute), "2")
	assert.False(t, ok, "an entry expires after its lifetime")
	e.put(start.Add(11*time.Minute), "new", 9)
	assert.Equal(t, 1, e.len(), "expired entries are forgotten on the next put")

	// Entries taken at once must not pile up in the queue.
	for i := range 10_000 {
		k := fmt.Sprint("k", i)
		e.put(start.Add(11*time.Minute), k, i)
		e.take(start.Add(11*time.Minute), k)
	}
	assert.LessOrEqual(t, len(e.queue), 40, "taken entries are compacted out of the queue")
}
