package block

import (
	"os"
	"strconv"
	"testing"
	"time"
)

// TestBlock writes its process id to $LEARN_MARKER and then blocks, so the runner's tests
// can check that cancelling a run kills the test binary.
func TestBlock(t *testing.T) {
	if m := os.Getenv("LEARN_MARKER"); m != "" {
		_ = os.WriteFile(m, []byte(strconv.Itoa(os.Getpid())), 0o644)
	}
	go func() {
		for {
			time.Sleep(time.Hour)
		}
	}()
	Block()
}
