//go:build unix

package testrun

import (
	"io/fs"
	"os/exec"
	"syscall"
)

// ownGroup starts the command in a process group of its own and makes
// cancellation kill that whole group.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}

// killGroup kills what is left of the command's process group, such as
// children a test started and did not wait for.
func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}

// runAs makes the command run as uid:gid with no supplementary groups.
func runAs(cmd *exec.Cmd, uid, gid int) {
	cmd.SysProcAttr.Credential = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}
}

// hardLinked reports whether the entry has more than one hard link; an
// entry whose links cannot be counted counts as linked.
func hardLinked(d fs.DirEntry) bool {
	fi, err := d.Info()
	if err != nil {
		return true
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	return !ok || st.Nlink > 1
}

// ownerOf returns the uid that owns the entry.
func ownerOf(d fs.DirEntry) (int, bool) {
	fi, err := d.Info()
	if err != nil {
		return 0, false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(st.Uid), true
}

// PidAlive reports whether a process of this host has the pid.
func PidAlive(pid int) bool {
	return pid > 0 && syscall.Kill(pid, 0) != syscall.ESRCH
}
