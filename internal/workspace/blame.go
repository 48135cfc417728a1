package workspace

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// Blame names the commit that last changed line of rel in the checkout
// and its author's email, from git blame --porcelain. The commit of an
// uncommitted line is all zeros.
func (w *Workspace) Blame(ctx context.Context, rel string, line int) (sha, email string, err error) {
	l, err := w.ReadRange(rel, line, line, 0)
	if err != nil {
		return "", "", fmt.Errorf("blame: %w", err)
	}
	g, err := w.checkoutGit()
	if err != nil {
		return "", "", fmt.Errorf("blame %s: %w", l.File, err)
	}
	n := strconv.Itoa(l.Start)
	out, err := g.run(ctx, "blame", "--porcelain", "--no-textconv", "-L", n+","+n, "--", l.File)
	if err != nil {
		return "", "", fmt.Errorf("blame %s:%s: %w", l.File, n, err)
	}
	lines := strings.Split(out, "\n")
	if fields := strings.Fields(lines[0]); len(fields) > 0 {
		sha = fields[0]
	}
	for _, ln := range lines[1:] {
		if v, ok := strings.CutPrefix(ln, "author-mail "); ok {
			email = strings.Trim(v, "<>")
		}
	}
	if len(sha) != 40 {
		return "", "", fmt.Errorf("blame %s:%s: no commit in git's answer", l.File, n)
	}
	return sha, email, nil
}
