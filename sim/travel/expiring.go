package travel

import "time"

// expiring is a bounded map whose entries expire a fixed time after they
// were put: sign-ins in progress and booking drafts. Entries leave in the
// order they arrived, so expiry and eviction of the oldest both pop from
// the front of a queue and never scan the whole map. The caller holds the
// lock that guards it.
type expiring[V any] struct {
	max   int
	ttl   time.Duration
	items map[string]*entry[V]
	queue []*entry[V] // oldest first; may hold entries already taken
}

type entry[V any] struct {
	key     string
	val     V
	expires time.Time
	gone    bool
}

func newExpiring[V any](max int, ttl time.Duration) *expiring[V] {
	return &expiring[V]{max: max, ttl: ttl, items: map[string]*entry[V]{}}
}

// put stores v under key until now+ttl, first forgetting expired entries
// and, when full, the oldest one.
func (e *expiring[V]) put(now time.Time, key string, v V) {
	e.prune(now)
	for len(e.items) >= e.max && len(e.queue) > 0 {
		e.pop()
	}
	if old, ok := e.items[key]; ok {
		old.gone = true
	}
	n := &entry[V]{key: key, val: v, expires: now.Add(e.ttl)}
	e.items[key] = n
	e.queue = append(e.queue, n)

	// Taken entries wait in the queue until they reach its front; compact
	// it when they outnumber the live ones.
	if len(e.queue) > 2*max(len(e.items), 16) {
		live := make([]*entry[V], 0, len(e.items))
		for _, q := range e.queue {
			if !q.gone {
				live = append(live, q)
			}
		}
		e.queue = live
	}
}

// get returns the value under key if it has not expired.
func (e *expiring[V]) get(now time.Time, key string) (V, bool) {
	n, ok := e.items[key]
	if !ok || now.After(n.expires) {
		var zero V
		return zero, false
	}
	return n.val, true
}

// take returns and removes the value under key if it has not expired.
func (e *expiring[V]) take(now time.Time, key string) (V, bool) {
	v, ok := e.get(now, key)
	if n, found := e.items[key]; found {
		n.gone = true
		delete(e.items, key)
	}
	return v, ok
}

// len returns how many entries are kept, expired ones included until the
// next put.
func (e *expiring[V]) len() int { return len(e.items) }

// prune forgets the entries that expired, oldest first.
func (e *expiring[V]) prune(now time.Time) {
	for len(e.queue) > 0 && (e.queue[0].gone || now.After(e.queue[0].expires)) {
		e.pop()
	}
}

// pop removes the front of the queue.
func (e *expiring[V]) pop() {
	n := e.queue[0]
	e.queue[0] = nil
	e.queue = e.queue[1:]
	if !n.gone {
		delete(e.items, n.key)
	}
}
