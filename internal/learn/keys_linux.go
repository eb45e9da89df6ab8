//go:build linux

package learn

import (
	"os"

	"golang.org/x/sys/unix"
)

// KeyMode makes a terminal deliver single key presses at once, without Enter and without
// echo, so watch can react to "q", "h" and "r". It returns a function that restores the
// terminal, and false (doing nothing) when f is not a terminal.
func KeyMode(f *os.File) (restore func(), ok bool) {
	fd := int(f.Fd())
	old, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return func() {}, false
	}
	raw := *old
	raw.Lflag &^= unix.ICANON | unix.ECHO
	raw.Cc[unix.VMIN], raw.Cc[unix.VTIME] = 1, 0
	if err := unix.IoctlSetTermios(fd, unix.TCSETS, &raw); err != nil {
		return func() {}, false
	}
	return func() { _ = unix.IoctlSetTermios(fd, unix.TCSETS, old) }, true
}
