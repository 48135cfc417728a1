package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/dawnpatch/dawnpatch/internal/incident"
)

// maxParseInput caps what `dawnpatch parse` reads: what intake accepts.
const maxParseInput = incident.MaxInputBytes

// runParse is `dawnpatch parse [--format F] [FILE|-]`.
func runParse(_ context.Context, env Env, args []string) error {
	fs := flags("parse")
	format := fs.String("format", "auto", "input format: auto, sentry-webhook, sentry-api, sentry-event, dispatch, trace")
	if err := parseFlags(fs, env.Stdout, args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return usagef("parse takes at most one file, got %d", fs.NArg())
	}
	name := fs.Arg(0)
	data, err := readInput(env.Stdin, name)
	if err != nil {
		return err
	}
	inc, err := incident.Parse(data, incident.Format(*format))
	if err != nil {
		return fmt.Errorf("parse %s: %w", displayName(name), err)
	}
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(inc)
}

func readInput(stdin io.Reader, name string) ([]byte, error) {
	r := stdin
	if name != "" && name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, fmt.Errorf("open input: %w", err)
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxParseInput+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", displayName(name), err)
	}
	if len(data) > maxParseInput {
		return nil, fmt.Errorf("read %s: more than %d bytes", displayName(name), maxParseInput)
	}
	return data, nil
}

func displayName(name string) string {
	if name == "" || name == "-" {
		return "standard input"
	}
	return name
}
