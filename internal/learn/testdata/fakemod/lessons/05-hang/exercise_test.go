package hang

import "testing"

func TestWait(t *testing.T) {
	ch := make(chan int)
	if Wait(ch) != 1 {
		t.Error("no")
	}
}
