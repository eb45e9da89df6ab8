package observers

import (
	"fmt"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const stuckPublish = "Publish (or Close) is stuck. Publish must never wait for a subscriber: " +
	"queue the event for each subscriber's own goroutine. Close must end those goroutines " +
	"once their queues are empty"

func TestFeed_EverySubscriberGetsEveryEvent(t *testing.T) {
	t.Parallel()

	for _, n := range []int{1, 3} {
		t.Run(fmt.Sprintf("%d_subscribers", n), func(t *testing.T) {
			t.Parallel()
			bubble(t, stuckPublish, func(t *testing.T) {
				f := newFeed(t)
				inboxes := make([]*inbox, n)
				for i := range inboxes {
					inboxes[i] = &inbox{}
					subscribe(t, f, inboxes[i].receive)
				}
				want := events(3)
				for _, e := range want {
					call(t, "Publish", func() { f.Publish(e) })
				}
				call(t, "Close", f.Close)

				for i, in := range inboxes {
					assert.Equal(t, want, in.got(), "subscriber %d of %d: after Publish of "+
						"%v and Close, it must have received every event, in order", i+1, n, want)
				}
			})
		})
	}
}

func TestFeed_OrderIsPublishOrder(t *testing.T) {
	t.Parallel()

	bubble(t, stuckPublish, func(t *testing.T) {
		f := newFeed(t)
		a, b := &inbox{}, &inbox{}
		subscribe(t, f, a.receive)
		subscribe(t, f, b.receive)
		want := events(50)
		for i, e := range want {
			call(t, "Publish", func() { f.Publish(e) })
			if i%10 == 0 {
				synctest.Wait() // let the subscribers catch up now and then
			}
		}
		call(t, "Close", f.Close)

		assert.Equal(t, want, a.got(), "subscriber A must receive the 50 events exactly once "+
			"each, in the order they were published (one queue per subscriber, first in "+
			"first out)")
		assert.Equal(t, want, b.got(), "subscriber B must receive the 50 events exactly once "+
			"each, in the order they were published")
	})
}

func TestFeed_SlowSubscriberBlocksNobody(t *testing.T) {
	t.Parallel()

	bubble(t, "Publish waited for the slow subscriber. Publish must return at once: give "+
		"each subscriber its own queue and goroutine, so a slow one delays only itself",
		func(t *testing.T) {
			f := newFeed(t)
			gate := make(chan struct{})
			slow, fast := &inbox{}, &inbox{}
			subscribe(t, f, func(e Event) {
				<-gate // the slow subscriber is stuck until the test opens the gate
				slow.receive(e)
			})
			subscribe(t, f, fast.receive)

			want := events(3)
			for _, e := range want {
				call(t, "Publish", func() { f.Publish(e) })
			}
			synctest.Wait()
			require.NotEmpty(t, fast.got(), "no event reached any subscriber; make "+
				"TestFeed_EverySubscriberGetsEveryEvent pass first")
			assert.Equal(t, want, fast.got(), "while one subscriber was stuck on its first "+
				"event, the other must still receive all 3 events at once")

			close(gate)
			call(t, "Close", f.Close)
			assert.Equal(t, want, slow.got(), "once the slow subscriber got going, it must "+
				"receive all 3 events, in order, before Close returns")
		})
}

func TestFeed_Unsubscribe(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name  string
		twice bool // call unsubscribe twice
		early bool // unsubscribe from inside the callback, on the first event
	}{
		{name: "stops_delivery"},
		{name: "twice_is_harmless", twice: true},
		{name: "from_inside_the_callback", early: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			bubble(t, "the feed is stuck after unsubscribe. Calling unsubscribe from inside "+
				"the callback must not wait for the callback to return, and a subscriber's "+
				"goroutine must end once unsubscribed", func(t *testing.T) {
				f := newFeed(t)
				leaving, staying := &inbox{}, &inbox{}
				var unsubscribe func()
				unsubscribe = subscribe(t, f, func(e Event) {
					leaving.receive(e)
					if tt.early {
						unsubscribe()
					}
				})
				subscribe(t, f, staying.receive)

				all := events(3)
				call(t, "Publish", func() { f.Publish(all[0]) })
				synctest.Wait()
				require.Len(t, leaving.got(), 1, "the first event, published before "+
					"unsubscribing, never reached the subscriber; make "+
					"TestFeed_EverySubscriberGetsEveryEvent pass first")
				if !tt.early {
					unsubscribe()
				}
				if tt.twice {
					unsubscribe()
				}
				call(t, "Publish", func() { f.Publish(all[1]) })
				call(t, "Publish", func() { f.Publish(all[2]) })
				call(t, "Close", f.Close)

				assert.Equal(t, all[:1], leaving.got(), "a subscriber that unsubscribed after "+
					"the first event must have received exactly that event, %v", all[0])
				assert.Equal(t, all, staying.got(), "the subscriber that stayed must receive "+
					"all 3 events: unsubscribing one subscriber must not affect the others")
			})
		})
	}
}

func TestFeed_Close(t *testing.T) {
	t.Parallel()

	bubble(t, "Close is stuck, or left goroutines behind. Close must tell every subscriber's "+
		"goroutine to end once its queue is empty, and wait for them (sync.WaitGroup)",
		func(t *testing.T) {
			f := newFeed(t)
			in := &inbox{}
			subscribe(t, f, in.receive)
			want := events(4)
			for _, e := range want {
				call(t, "Publish", func() { f.Publish(e) })
			}
			// No synctest.Wait here: Close itself must deliver what is queued.
			call(t, "Close", f.Close)
			assert.Equal(t, want, in.got(), "Close must return only after the %d events "+
				"published before it were delivered to the subscriber: does Close wait for "+
				"the subscriber goroutines to empty their queues?", len(want))
			before := in.got()

			late := &inbox{}
			subscribe(t, f, late.receive)
			call(t, "Publish after Close", func() { f.Publish(Event{BookingID: "BK-99"}) })
			call(t, "Close (a second time)", f.Close)
			synctest.Wait()
			assert.Equal(t, before, in.got(), "Publish after Close must deliver nothing")
			assert.Empty(t, late.got(), "a subscriber added after Close must receive nothing")
		})
}
