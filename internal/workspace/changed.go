package workspace

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// releaseVersion picks the version out of a Sentry release name such as
// "shop@1.4.2" or "1.4.2+build.7".
var releaseVersion = regexp.MustCompile(`v?(\d+\.\d+(?:\.\d+)?(?:[-+][0-9A-Za-z.-]+)?)$`)

// ReleaseRef finds the git tag of a Sentry release in the checkout: the
// release itself, or its version with or without a "v". It returns "" when
// none is there (a shallow checkout has no tags: use fetch-depth: 0).
func (w *Workspace) ReleaseRef(ctx context.Context, release string) (string, error) {
	if release == "" || strings.ContainsAny(release, " \n\x00") || strings.HasPrefix(release, "-") {
		return "", nil
	}
	cands := []string{release}
	if m := releaseVersion.FindStringSubmatch(release); m != nil {
		cands = append(cands, m[1], "v"+m[1])
	}
	g, err := w.checkoutGit()
	if err != nil {
		return "", fmt.Errorf("find release %q: %w", release, err)
	}
	for _, c := range cands {
		if _, err := g.run(ctx, "rev-parse", "--verify", "--quiet", "refs/tags/"+c+"^{commit}"); err == nil {
			return "refs/tags/" + c, nil
		}
	}
	return "", nil
}

// ChangedSince lists the commits after ref that touched lines from..to of
// rel (one "<short sha> <subject>" a line): has the code an error was
// reported from changed since that release?
func (w *Workspace) ChangedSince(ctx context.Context, ref, rel string, from, to int) ([]string, error) {
	l, err := w.ReadRange(rel, from, to, 0)
	if err != nil {
		return nil, fmt.Errorf("changes since %s: %w", ref, err)
	}
	g, err := w.checkoutGit()
	if err != nil {
		return nil, fmt.Errorf("changes since %s: %w", ref, err)
	}
	rng := strconv.Itoa(l.Start) + "," + strconv.Itoa(l.End)
	out, err := g.run(ctx, "log", "--no-ext-diff", "--no-textconv", "--no-color", "--no-patch", "--format=%h %s",
		ref+"..HEAD", "-L", rng+":"+l.File)
	if err != nil {
		return nil, fmt.Errorf("changes of %s since %s: %w", l.File, ref, err)
	}
	var commits []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line != "" {
			commits = append(commits, line)
		}
	}
	return commits, nil
}
