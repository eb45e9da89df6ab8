//go:build !linux

package learn

import "os"

// KeyMode reports false: outside Linux, watch reads its keys as lines (a key, then Enter).
//
// TODO: Support single key presses on macOS (TIOCGETA) and Windows consoles; today learners
// there press Enter after q, h or r.
func KeyMode(f *os.File) (restore func(), ok bool) {
	return func() {}, false
}
