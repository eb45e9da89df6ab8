//go:build !unix

package learn

import (
	"os/exec"
	"time"
)

// killProcessGroup sets how long to wait for cmd's output after its context is done.
//
// TODO: Kill the whole process tree on Windows (a job object); today a hung test binary may
// outlive a cancelled run there until its own -timeout fires.
func killProcessGroup(cmd *exec.Cmd) {
	cmd.WaitDelay = 2 * time.Second
}
