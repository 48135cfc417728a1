package testrun

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
)

// maxParsedOutput caps the output of a suite kept for parsing; the tail
// kept as evidence is capped separately by Runner.MaxOutput.
const maxParsedOutput = 16 << 20

// cachedSuite is a suite run on a base tree.
type cachedSuite struct {
	suite Suite
	res   Result
}

// RunSuite runs the suite of a repository in lang with cmd and reads its
// results. Go, unless cmd is an override, runs go test -json on pkgs (./...
// when empty); Python and JavaScript run cmd.Suite and parse its output
// (unittest -v and pytest -rA lines; node --test TAP). When nothing in the
// output could be read as a test result (an override running another tool),
// the whole command counts as one test, named "command: <argv>", passing
// when it exits 0.
func (r *Runner) RunSuite(ctx context.Context, lang Language, dir string, cmd Command, pkgs []string) (Suite, Result, error) {
	if lang == Go && !cmd.Override {
		return r.GoSuite(ctx, dir, pkgs)
	}
	var full capped
	res, err := r.run(ctx, Job{Dir: dir, Argv: cmd.Suite}, func(out io.Writer) io.Writer {
		full.max = maxParsedOutput
		return io.MultiWriter(out, &full)
	})
	if err != nil {
		return Suite{}, res, fmt.Errorf("run the suite: %w", err)
	}
	return parseSuite(lang, res, full.String()), res, nil
}

// parseSuite reads the results of a suite run from its output.
func parseSuite(lang Language, res Result, out string) Suite {
	var s Suite
	switch lang {
	case Python:
		u, p := parseUnittest(out), parsePytest(out)
		s = Suite{Passed: append(u.Passed, p.Passed...), Failed: append(u.Failed, p.Failed...),
			BuildFailed: append(u.BuildFailed, p.BuildFailed...)}
	case JavaScript:
		s = parseTAP(out)
	}
	if len(s.Passed)+len(s.Failed)+len(s.BuildFailed) > 0 {
		return s
	}
	name := "command: " + strings.Join(res.Argv, " ")
	if res.ExitCode == 0 && !res.TimedOut {
		return Suite{Passed: []string{name}}
	}
	return Suite{Failed: []string{name}}
}

// capped keeps the first max bytes written to it.
type capped struct {
	mu  sync.Mutex
	max int
	b   strings.Builder
}

// Write keeps what fits; it never fails.
func (c *capped) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if room := c.max - c.b.Len(); room > 0 {
		c.b.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// String returns what was kept.
func (c *capped) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.b.String()
}

// baseSuite runs the suite on a base tree, or returns the result of an
// earlier run on the same tree with the same command. key names the tree;
// "" disables the cache.
func (r *Runner) baseSuite(ctx context.Context, key string, run func() (Suite, Result, error)) (Suite, Result, bool, error) {
	if key != "" {
		r.mu.Lock()
		c, ok := r.baseSuites[key]
		r.mu.Unlock()
		if ok {
			return c.suite, c.res, true, nil
		}
	}
	s, res, err := run()
	if err != nil || key == "" {
		return s, res, false, err
	}
	r.mu.Lock()
	if r.baseSuites == nil {
		r.baseSuites = map[string]cachedSuite{}
	}
	r.baseSuites[key] = cachedSuite{suite: s, res: res}
	r.mu.Unlock()
	return s, res, false, nil
}
