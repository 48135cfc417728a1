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

// RunSuite runs the framework's suite in dir and reads its results: go
// test's -json stream as it comes (the Result's Output holds the tests'
// own output, not the JSON), the other runners' output or result file
// after the run. When nothing could be read as a test result (an override
// running another tool), the whole command counts as one test, named
// "command: <argv>", passing when it exits 0.
func (r *Runner) RunSuite(ctx context.Context, dir string, fw Framework, pkgs []string) (Suite, Result, error) {
	job := Job{Dir: dir, Argv: fw.Suite(pkgs), Env: fw.Env()}
	if _, ok := fw.(goTest); ok {
		p := newEventParser()
		res, err := r.run(ctx, job, func(out io.Writer) io.Writer {
			p.out = out
			return p
		})
		if err != nil {
			return Suite{}, res, fmt.Errorf("go test suite: %w", err)
		}
		return p.suite(), res, nil
	}
	var full capped
	res, err := r.run(ctx, job, func(out io.Writer) io.Writer {
		full.max = maxParsedOutput
		return io.MultiWriter(out, &full)
	})
	if err != nil {
		return Suite{}, res, fmt.Errorf("run the suite: %w", err)
	}
	return fw.Results(dir, res, full.String()), res, nil
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
