package peer

import (
	"os/exec"
	"syscall"
)

// dieWithParent has the kernel kill the server if this process dies
// without stopping it (a crash, SIGKILL), so no server outlives a run.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
