//go:build unix

package learn

import (
	"os/exec"
	"syscall"
	"time"
)

// killProcessGroup makes cmd start in its own process group and, when its context is done,
// kills the whole group: the go command and the test binaries it started. Killing only the go
// command would leave a hung test binary running.
func killProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	cmd.WaitDelay = 2 * time.Second
}
