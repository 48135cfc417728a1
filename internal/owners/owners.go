// Package owners decides who should review a change: the CODEOWNERS owners
// of the files it touches, plus the reviewers the policy names.
package owners

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hmarr/codeowners"
)

// maxReviewers caps a request; GitHub takes at most 15 at once.
const maxReviewers = 10

// locations are where GitHub looks for CODEOWNERS, in its order.
var locations = []string{".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"}

// maxFile caps the CODEOWNERS file read.
const maxFile = 1 << 20

// Reviewers are users and team slugs to ask for a review.
type Reviewers struct {
	Users []string
	Teams []string
}

// For returns the reviewers of a change to files (repository-relative,
// slash-separated) in the checkout at root: the owners of each file's last
// matching CODEOWNERS rule, then extra ("user" or "org/team"), without
// exclude (the pull request's author) and without duplicates. Email owners
// are skipped: GitHub cannot be asked for a review by email. A missing
// CODEOWNERS file means no owners; a malformed one is an error naming it.
func For(root string, files, extra []string, exclude string) (Reviewers, error) {
	rules, name, err := load(root)
	if err != nil {
		return Reviewers{}, err
	}
	var r Reviewers
	for _, f := range files {
		if rules == nil {
			break
		}
		rule, err := rules.Match(f)
		if err != nil {
			return Reviewers{}, fmt.Errorf("match %s against %s: %w", f, name, err)
		}
		if rule == nil {
			continue
		}
		for _, o := range rule.Owners {
			if o.Type != codeowners.EmailOwner {
				r.add(o.Value, exclude)
			}
		}
	}
	for _, e := range extra {
		r.add(strings.TrimPrefix(e, "@"), exclude)
	}
	return r, nil
}

// add records one owner: "org/team" as a team slug, anything else as a user.
func (r *Reviewers) add(owner, exclude string) {
	if owner == "" || strings.EqualFold(owner, exclude) || len(r.Users)+len(r.Teams) >= maxReviewers {
		return
	}
	if _, team, ok := strings.Cut(owner, "/"); ok {
		if !slices.Contains(r.Teams, team) {
			r.Teams = append(r.Teams, team)
		}
		return
	}
	if !slices.ContainsFunc(r.Users, func(u string) bool { return strings.EqualFold(u, owner) }) {
		r.Users = append(r.Users, owner)
	}
}

// load reads the first CODEOWNERS file found; nil rules when there is none.
func load(root string) (codeowners.Ruleset, string, error) {
	for _, name := range locations {
		path := filepath.Join(root, filepath.FromSlash(name))
		info, err := os.Lstat(path)
		if err != nil || !info.Mode().IsRegular() {
			continue // missing, or a symlink that might lead out of the checkout
		}
		if info.Size() > maxFile {
			return nil, name, fmt.Errorf("read %s: %d bytes, more than %d", name, info.Size(), maxFile)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, name, fmt.Errorf("read %s: %w", name, err)
		}
		rules, err := codeowners.ParseFile(bytes.NewReader(data))
		if err != nil {
			return nil, name, fmt.Errorf("parse %s: %w", name, err)
		}
		return rules, name, nil
	}
	return nil, "", nil
}
