package idp

import (
	"container/list"
	"time"
)

// boundedMap holds values by key for a fixed time to live and at most max of
// them. Entries are kept in the order they were added, which is also the
// order they expire in, so that expiring and evicting only ever look at the
// oldest entries: no call scans the whole map.
//
// When the map is full, adding evicts the oldest entry instead of refusing
// the new one. A flood of requests therefore pushes out the flood's own
// older entries first, and a person who was pushed out can start again at
// once. boundedMap is not safe for concurrent use; the provider's mutex
// guards it.
type boundedMap[V any] struct {
	max   int
	ttl   time.Duration
	items map[string]*list.Element
	order *list.List // of *boundedEntry[V], oldest first
}

// boundedEntry is one value with its key and the time it was added.
type boundedEntry[V any] struct {
	key   string
	added time.Time
	value V
}

func newBoundedMap[V any](max int, ttl time.Duration) *boundedMap[V] {
	if max < 1 {
		panic("idp: a bounded map needs room for at least one entry")
	}
	return &boundedMap[V]{max: max, ttl: ttl, items: map[string]*list.Element{}, order: list.New()}
}

// put stores v under key as added at now, after dropping the expired entries
// and, when the map is full, the oldest ones. It returns how many unexpired
// entries it evicted to make room.
func (m *boundedMap[V]) put(now time.Time, key string, v V) int {
	m.expire(now)
	if el, ok := m.items[key]; ok { // keys are random, but stay correct anyway
		m.order.Remove(el)
		delete(m.items, key)
	}
	evicted := 0
	for len(m.items) >= m.max {
		m.removeElement(m.order.Front())
		evicted++
	}
	m.items[key] = m.order.PushBack(&boundedEntry[V]{key: key, added: now, value: v})
	return evicted
}

// get returns the value under key if it is there and has not expired.
func (m *boundedMap[V]) get(now time.Time, key string) (V, bool) {
	el, ok := m.items[key]
	if !ok {
		var zero V
		return zero, false
	}
	e := el.Value.(*boundedEntry[V])
	if m.expired(now, e) {
		m.removeElement(el)
		var zero V
		return zero, false
	}
	return e.value, true
}

// remove deletes key, reporting whether it was there (expired or not).
func (m *boundedMap[V]) remove(key string) bool {
	el, ok := m.items[key]
	if ok {
		m.removeElement(el)
	}
	return ok
}

// expire drops expired entries from the old end and stops at the first one
// still alive. A clock that jumped backwards (the clock-skew quirk) can leave
// an expired entry behind a live one for a while; get still refuses it.
func (m *boundedMap[V]) expire(now time.Time) {
	for el := m.order.Front(); el != nil; el = m.order.Front() {
		if !m.expired(now, el.Value.(*boundedEntry[V])) {
			return
		}
		m.removeElement(el)
	}
}

// len returns how many entries are stored, expired ones included.
func (m *boundedMap[V]) len() int { return len(m.items) }

func (m *boundedMap[V]) expired(now time.Time, e *boundedEntry[V]) bool {
	return now.Sub(e.added) > m.ttl
}

func (m *boundedMap[V]) removeElement(el *list.Element) {
	e := m.order.Remove(el).(*boundedEntry[V])
	delete(m.items, e.key)
}
