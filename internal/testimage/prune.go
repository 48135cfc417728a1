package testimage

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/moby/moby/client"
)

// Prune removes the tags of test images this package made for recipes or
// inputs other than the current ones (an older recipe version, Go
// release, CA bundle...), children before parents so that their layers
// are freed, and returns the tags it removed. Ensure never prunes: other
// checkouts on the same engine may still use those images.
func (b *Builder) Prune(ctx context.Context) ([]string, error) {
	current := map[string]bool{}
	for _, k := range Kinds() {
		tag, err := b.Tag(ctx, k)
		if err != nil {
			return nil, err
		}
		current[tag] = true
	}
	list, err := b.c.ImageList(ctx, client.ImageListOptions{Filters: client.Filters{}.Add("label", labelKind)})
	if err != nil {
		return nil, fmt.Errorf("list test images: %w", err)
	}
	var stale []string
	for _, img := range list.Items {
		for _, t := range img.RepoTags {
			if strings.HasPrefix(t, repoPrefix) && !current[t] {
				stale = append(stale, t)
			}
		}
	}
	order := func(tag string) int {
		kind, _, _ := strings.Cut(strings.TrimPrefix(tag, repoPrefix), ":")
		return -slices.Index(Kinds(), Kind(kind))
	}
	slices.SortStableFunc(stale, func(a, b string) int { return order(a) - order(b) })
	var removed []string
	for _, t := range stale {
		if _, err := b.c.ImageRemove(ctx, t, client.ImageRemoveOptions{PruneChildren: true}); err != nil {
			return removed, fmt.Errorf("remove test image %s: %w", t, err)
		}
		removed = append(removed, t)
	}
	return removed, nil
}
