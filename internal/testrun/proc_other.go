//go:build !unix

package testrun

import (
	"io/fs"
	"os/exec"
)

// ownGroup leaves the default cancellation (kill the process) where
// process groups are not available.
func ownGroup(cmd *exec.Cmd) {}

// killGroup does nothing where process groups are not available.
func killGroup(cmd *exec.Cmd) {}

// runAs does nothing where credentials cannot be switched; a Sandbox
// refuses to start there, since it needs root.
func runAs(cmd *exec.Cmd, uid, gid int) {}

// hardLinked reports false: a Sandbox does not run here.
func hardLinked(d fs.DirEntry) bool { return false }

// ownerOf reports nothing: a Sandbox does not run here.
func ownerOf(d fs.DirEntry) (int, bool) { return 0, false }

// PidAlive cannot tell here: it reports true, so nothing is taken for gone.
func PidAlive(pid int) bool { return true }
