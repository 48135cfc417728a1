// Package stats computes dawnpatch's scorecard from the pull requests it
// opened: how many, how many were worth merging, how fast humans decided.
// It keeps no state: GitHub holds every pull request with its marker.
package stats

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/ghwork"
)

// Scorecard is the outcome of dawnpatch's pull requests over a window.
type Scorecard struct {
	Since  time.Time `json:"since"`
	Until  time.Time `json:"until"`
	Opened int       `json:"opened"`
	Merged int       `json:"merged"`
	// ClosedUnmerged counts pull requests a human said no to.
	ClosedUnmerged int `json:"closed_unmerged"`
	Open           int `json:"open"`
	// ZeroTouch counts merged pull requests nobody pushed to.
	ZeroTouch int `json:"zero_touch"`
	// HumanEdited counts merged pull requests with human commits.
	HumanEdited int `json:"human_edited"`
	// MedianTimeToMerge and MedianTimeToFirstReview are in hours; 0 when
	// there is nothing to measure.
	MedianHoursToMerge       float64 `json:"median_hours_to_merge"`
	MedianHoursToFirstReview float64 `json:"median_hours_to_first_review"`
	PerDay                   float64 `json:"prs_per_day"`
	// MergeRate is merged / (merged + closed unmerged).
	MergeRate float64 `json:"merge_rate"`
	// Detailed counts the pull requests whose reviews and commits were
	// read; the zero-touch and review figures cover those only.
	Detailed int `json:"detailed"`
	// Truncated reports that the listing stopped at its page cap.
	Truncated bool `json:"truncated"`
}

// Compute builds the scorecard of prs over [since, until).
func Compute(prs []ghwork.PRRecord, since, until time.Time, truncated bool) Scorecard {
	sc := Scorecard{Since: since, Until: until, Truncated: truncated}
	var toMerge, toReview []float64
	for _, p := range prs {
		sc.Opened++
		switch {
		case p.State == "open":
			sc.Open++
		case p.Merged:
			sc.Merged++
			toMerge = append(toMerge, p.ClosedAt.Sub(p.CreatedAt).Hours())
		default:
			sc.ClosedUnmerged++
		}
		if !p.Detailed {
			continue
		}
		sc.Detailed++
		if p.Merged && p.Commits <= 1 {
			sc.ZeroTouch++
		} else if p.Merged {
			sc.HumanEdited++
		}
		if !p.FirstReview.IsZero() {
			toReview = append(toReview, p.FirstReview.Sub(p.CreatedAt).Hours())
		}
	}
	sc.MedianHoursToMerge, sc.MedianHoursToFirstReview = median(toMerge), median(toReview)
	if days := until.Sub(since).Hours() / 24; days > 0 {
		sc.PerDay = float64(sc.Opened) / days
	}
	if decided := sc.Merged + sc.ClosedUnmerged; decided > 0 {
		sc.MergeRate = float64(sc.Merged) / float64(decided)
	}
	return sc
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// Markdown renders the scorecard for a step summary or a terminal.
func (sc Scorecard) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "### dawnpatch scorecard, %s to %s\n\n", sc.Since.Format("2006-01-02"), sc.Until.Format("2006-01-02"))
	b.WriteString("| | |\n|---|---|\n")
	rows := [][2]string{
		{"Pull requests opened", fmt.Sprintf("%d (%.1f a day)", sc.Opened, sc.PerDay)},
		{"Merged", fmt.Sprintf("%d (%.0f%% of those decided)", sc.Merged, 100*sc.MergeRate)},
		{"Closed unmerged", fmt.Sprint(sc.ClosedUnmerged)},
		{"Still open", fmt.Sprint(sc.Open)},
		{"Merged untouched (zero-touch)", fmt.Sprint(sc.ZeroTouch)},
		{"Merged after human commits", fmt.Sprint(sc.HumanEdited)},
		{"Median time to merge", hours(sc.MedianHoursToMerge)},
		{"Median time to first review", hours(sc.MedianHoursToFirstReview)},
	}
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s |\n", r[0], r[1])
	}
	if sc.Detailed < sc.Opened || sc.Truncated {
		fmt.Fprintf(&b, "\nReviews and commits were read for the %d most recent pull requests", sc.Detailed)
		if sc.Truncated {
			b.WriteString("; the listing stopped at its page cap, so older ones are missing")
		}
		b.WriteString(".\n")
	}
	return b.String()
}

func hours(h float64) string {
	if h == 0 {
		return "—"
	}
	if h < 48 {
		return fmt.Sprintf("%.1f h", h)
	}
	return fmt.Sprintf("%.1f days", h/24)
}
