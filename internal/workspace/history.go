package workspace

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Caps on what History returns.
const (
	// HistoryCommits is how many commits History shows for a line range.
	HistoryCommits = 3
	// MaxHistoryBytes caps each part of a History.
	MaxHistoryBytes = 16 << 10
)

// checkoutConfig is added to gitConfig when git reads the checkout itself:
// no program, hook, textconv, signature check, mailmap, lazy fetch or
// remote named by the checkout's own configuration runs or is read.
var checkoutConfig = []string{
	"-c", "protocol.allow=never", "-c", "log.showSignature=false", "-c", "log.mailmap=false",
	"-c", "blame.ignoreRevsFile=", "-c", "diff.external=", "-c", "core.pager=cat",
	"-c", "core.untrackedCache=false", "-c", "gc.auto=0", "-c", "maintenance.auto=false",
}

// History is the recent history of a line range of a checkout file.
type History struct {
	File       string
	Start, End int
	// Blame is `git blame -s` of the range: abbreviated commit, line, text.
	Blame string
	// Log is `git log -L` of the range: the last HistoryCommits commits
	// that touched it, each with its date, subject and diff; no author.
	Log string
	// Cut is set when Blame or Log was cut at MaxHistoryBytes.
	Cut bool
}

// History runs real git on the checkout to show who-changed-what for lines
// from..to of rel: blame and the last commits that touched them. The
// checkout may belong to another user (as in a container action): it is
// trusted for this one command with -c safe.directory=<root>, and the
// global and system git configuration are never read nor written.
func (w *Workspace) History(ctx context.Context, rel string, from, to int) (*History, error) {
	l, err := w.ReadRange(rel, from, to, 0)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	if l.End < l.Start {
		return nil, fmt.Errorf("history %s: the file is empty", l.File)
	}
	g, err := w.checkoutGit()
	if err != nil {
		return nil, fmt.Errorf("history %s: %w", l.File, err)
	}
	rng := strconv.Itoa(l.Start) + "," + strconv.Itoa(l.End)
	blame, err := g.run(ctx, "blame", "-s", "--no-textconv", "-L", rng, "--", l.File)
	if err != nil {
		return nil, fmt.Errorf("history %s: %w", l.File, err)
	}
	log, err := g.run(ctx, "log", "--no-ext-diff", "--no-textconv", "--no-color", "-n", strconv.Itoa(HistoryCommits),
		"--date=short", "--format=commit %h %ad %s", "-L", rng+":"+l.File)
	if err != nil {
		return nil, fmt.Errorf("history %s: %w", l.File, err)
	}
	h := &History{File: l.File, Start: l.Start, End: l.End}
	var cutB, cutL bool
	h.Blame, cutB = capText(blame, MaxHistoryBytes)
	h.Log, cutL = capText(log, MaxHistoryBytes)
	h.Cut = cutB || cutL
	return h, nil
}

// checkoutGit prepares git to read the checkout in place.
func (w *Workspace) checkoutGit() (*git, error) {
	g, err := newGit(w.root)
	if err != nil {
		return nil, err
	}
	if strings.ContainsAny(w.root, "\n\x00") {
		return nil, errors.New("checkout path holds a newline or NUL")
	}
	g.extra = append([]string{"-c", "safe.directory=" + w.root}, checkoutConfig...)
	return g, nil
}

// capText cuts s to at most n bytes at a line end and reports whether it
// cut anything.
func capText(s string, n int) (string, bool) {
	if len(s) <= n {
		return s, false
	}
	i := strings.LastIndexByte(s[:n], '\n')
	if i < 0 {
		i = n - 1
	}
	return s[:i+1], true
}
