// Package hang is a fake lesson whose code never returns.
package hang

// Wait waits for a value on ch.
func Wait(ch chan int) int {
	for {
		select {
		case v := <-ch:
			return v
		default:
		}
	}
}
