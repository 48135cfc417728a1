//go:build !linux

package testrun

// becomeSubreaper is Linux-only: elsewhere a process a test leaves outside
// its process group may outlive the run.
func becomeSubreaper() error { return nil }

func startingCommand() func() { return func() {} }
func started(pgid int)        {}
func finished(pgid int)       {}

// killOrphans does nothing where processes cannot be found as orphans.
func killOrphans() {}
