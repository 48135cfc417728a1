// Package app is dawnpatch's composition root: it parses the command
// line, builds the real clients from the inputs and the runner's context,
// runs the pipeline, reports, and maps errors to exit codes in one place.
package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// version is set at build time with -ldflags "-X ...app.version=v1.2.3".
var version = "dev"

// Env is the world the program runs in; main passes the real one.
type Env struct {
	Args   []string
	Getenv func(string) string
	// Environ lists the whole environment, for the secrets to mask
	// (variables named *_TOKEN, *_KEY, …); nil means only Getenv's known
	// names.
	Environ    []string
	Stdin      io.Reader
	Stdout     io.Writer
	Stderr     io.Writer
	HTTPClient *http.Client
}

// Exit codes.
const (
	ExitOK     = 0 // every outcome, including a skip
	ExitFailed = 1 // the action could not do its job
	ExitUsage  = 2 // the command line was wrong
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env Env, args []string) error
}

func commands() []command {
	return []command{
		{"run", "run the action (the default under GitHub Actions)", runAction},
		{"demo", "run the whole pipeline on the bundled sample, no accounts needed", runDemo},
		{"parse", "parse an event or stack trace and print the Incident as JSON", runParse},
		{"relay", "forward signed Sentry webhooks to repository_dispatch", runRelay},
		{"stats", "the scorecard of dawnpatch's pull requests in a repository", runStats},
		{"eval", "run the scenario corpus through the pipeline and score the guardrails", runEval},
		{"version", "print the version", runVersion},
		{"help", "show this help", runHelp},
	}
}

// usageError is a command-line mistake: exit 2 with the usage.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// reportedError has already been printed where the user reads it.
type reportedError struct{ err error }

func (e *reportedError) Error() string { return e.err.Error() }
func (e *reportedError) Unwrap() error { return e.err }

// Main runs the command line in env.Args (without the program name) and
// returns the process exit code.
func Main(ctx context.Context, env Env) int {
	return exitCode(env.Stderr, dispatch(ctx, env))
}

func dispatch(ctx context.Context, env Env) error {
	args := env.Args
	name := "help"
	if len(args) > 0 {
		name, args = args[0], args[1:]
	} else if env.Getenv("GITHUB_ACTIONS") == "true" {
		name = "run"
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(ctx, env, args)
		}
	}
	return usagef("unknown command %q", name)
}

// exitCode is the one place errors become exit codes.
func exitCode(stderr io.Writer, err error) int {
	var ue *usageError
	var re *reportedError
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, flag.ErrHelp):
		return ExitOK
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "dawnpatch: %s\n\n%s", ue.msg, usage())
		return ExitUsage
	case errors.As(err, &re):
		return ExitFailed
	default:
		fmt.Fprintf(stderr, "dawnpatch: %v\n", err)
		return ExitFailed
	}
}

func usage() string {
	var b strings.Builder
	b.WriteString("usage: dawnpatch <command> [flags]\n\ncommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-8s %s\n", c.name, c.summary)
	}
	b.WriteString("\nUnder GitHub Actions (GITHUB_ACTIONS=true) the default command is run.\n")
	return b.String()
}

func runVersion(_ context.Context, env Env, args []string) error {
	if len(args) > 0 {
		return usagef("version takes no arguments")
	}
	_, err := fmt.Fprintf(env.Stdout, "dawnpatch %s\n", version)
	return err
}

func runHelp(_ context.Context, env Env, _ []string) error {
	_, err := io.WriteString(env.Stdout, usage())
	return err
}

// flags makes a flag set whose errors become usage errors.
func flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parseFlags parses args, mapping a bad flag to a usage error; -h prints
// the flags to stdout.
func parseFlags(fs *flag.FlagSet, stdout io.Writer, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stdout, "usage of dawnpatch %s:\n", fs.Name())
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return err
		}
		return usagef("%s: %v", fs.Name(), err)
	}
	return nil
}
