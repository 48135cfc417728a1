package testrun

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"sync"
)

// maxEventLine caps a pending test2json line; longer ones are passed on raw.
const maxEventLine = 1 << 20

// event is one line of test2json output.
type event struct {
	Action      string
	Package     string
	Test        string
	Output      string
	FailedBuild string
}

// eventParser reads a test2json stream, tallies results and forwards the
// tests' output to out.
type eventParser struct {
	mu      sync.Mutex
	out     io.Writer
	pending []byte
	passed  map[string]bool
	failed  map[string]bool
	skipped map[string]bool
	build   map[string]bool
	pkgFail map[string]bool
}

func newEventParser() *eventParser {
	return &eventParser{
		out: io.Discard, passed: map[string]bool{}, failed: map[string]bool{}, skipped: map[string]bool{},
		build: map[string]bool{}, pkgFail: map[string]bool{},
	}
}

// Write consumes complete lines and keeps the rest for later.
func (p *eventParser) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pending = append(p.pending, b...)
	for {
		i := bytes.IndexByte(p.pending, '\n')
		if i < 0 {
			break
		}
		p.line(p.pending[:i+1])
		p.pending = p.pending[i+1:]
	}
	if len(p.pending) > maxEventLine {
		p.out.Write(p.pending)
		p.pending = p.pending[:0]
	}
	return len(b), nil
}

// line handles one line of the stream.
func (p *eventParser) line(l []byte) {
	var e event
	if l[0] != '{' || json.Unmarshal(l, &e) != nil {
		p.out.Write(l)
		return
	}
	if e.Output != "" {
		io.WriteString(p.out, e.Output)
	}
	switch {
	case e.Package == "":
	case e.Action == "output" && e.Test == "" && buildFailure(e.Output):
		p.build[e.Package] = true
	case e.Action == "pass" && e.Test != "":
		p.passed[e.Package+"."+e.Test] = true
	case e.Action == "fail" && e.Test != "":
		p.failed[e.Package+"."+e.Test] = true
	case e.Action == "skip" && e.Test != "":
		p.skipped[e.Package+"."+e.Test] = true
	case e.Action == "fail" && e.FailedBuild != "":
		p.build[e.Package] = true
	case e.Action == "fail":
		p.pkgFail[e.Package] = true
	}
}

// buildFailure reports whether package output says it did not build.
func buildFailure(out string) bool {
	return strings.Contains(out, "[build failed]") || strings.Contains(out, "[setup failed]")
}

// suite returns the tally, adding packages that failed with no failing test.
func (p *eventParser) suite() Suite {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.pending) > 0 {
		p.line(append(p.pending, '\n'))
		p.pending = nil
	}
	failed := map[string]bool{}
	for t := range p.failed {
		failed[t] = true
	}
	for pkg := range p.pkgFail {
		if !p.build[pkg] && !hasTestIn(p.failed, pkg) {
			failed[pkg] = true
		}
	}
	return Suite{Passed: sorted(p.passed), Failed: sorted(failed), Skipped: sorted(p.skipped), BuildFailed: sorted(p.build)}
}

// hasTestIn reports whether the set holds a test of package pkg.
func hasTestIn(set map[string]bool, pkg string) bool {
	for t := range set {
		if inPackage(t, pkg) {
			return true
		}
	}
	return false
}
