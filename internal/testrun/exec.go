package testrun

import (
	"context"
	"io"
)

// Job is one command to run on a scratch copy.
type Job struct {
	// Dir is the scratch copy, as this process names it.
	Dir string
	// Argv is the command, run without a shell.
	Argv []string
	// Env holds variables the command gets on top of the executor's own
	// environment, as "KEY=value".
	Env []string
	// Network lets the command reach the network: setup only. An executor
	// that cannot cut the network ignores it.
	Network bool
	// Output receives standard output and standard error.
	Output io.Writer
}

// Executor runs jobs: in this process's environment (none), as an
// unprivileged user (user), or in a throwaway container (container). Exec
// returns once every process the job started is gone. A failing command
// is an exit code; the error is for a command that could not run. When
// ctx ends, the job is killed and the exit code is -1.
type Executor interface {
	Exec(ctx context.Context, j Job) (exitCode int, err error)
	// Root is where a job sees the scratch copy dir.
	Root(dir string) string
	// Describe names the executor for a person: "container golang:1.24
	// (no network, uid 61000)", "in process as uid 65534", ….
	Describe() string
}
