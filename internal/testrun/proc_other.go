//go:build !unix

package testrun

import "os/exec"

// ownGroup leaves the default cancellation (kill the process) where
// process groups are not available.
func ownGroup(cmd *exec.Cmd) {}

// killGroup does nothing where process groups are not available.
func killGroup(cmd *exec.Cmd) {}
