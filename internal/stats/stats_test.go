package stats

import (
	"strings"
	"testing"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/ghwork"
)

func TestComputeEdges(t *testing.T) {
	end := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	since := end.Add(-10 * 24 * time.Hour)
	if sc := Compute(nil, since, end, false); sc.Opened != 0 || sc.MergeRate != 0 || sc.MedianHoursToMerge != 0 || sc.PerDay != 0 {
		t.Errorf("empty scorecard = %+v", sc)
	}
	at := func(h int) time.Time { return since.Add(time.Duration(h) * time.Hour) }
	prs := []ghwork.PRRecord{
		{State: "closed", Merged: true, CreatedAt: at(0), ClosedAt: at(2), Detailed: true, Commits: 1, FirstReview: at(1)},
		{State: "closed", Merged: true, CreatedAt: at(0), ClosedAt: at(6), Detailed: true, Commits: 2},
		{State: "closed", CreatedAt: at(0), ClosedAt: at(1)},
		{State: "open", CreatedAt: at(0)},
	}
	sc := Compute(prs, since, end, true)
	if sc.Opened != 4 || sc.Merged != 2 || sc.ClosedUnmerged != 1 || sc.Open != 1 || sc.ZeroTouch != 1 || sc.HumanEdited != 1 {
		t.Errorf("counts = %+v", sc)
	}
	if sc.MedianHoursToMerge != 4 || sc.MedianHoursToFirstReview != 1 || sc.PerDay != 0.4 || sc.Detailed != 2 {
		t.Errorf("median to merge %v (want 4, the mean of an even count's middle), to review %v, per day %v, detailed %d",
			sc.MedianHoursToMerge, sc.MedianHoursToFirstReview, sc.PerDay, sc.Detailed)
	}
	if md := sc.Markdown(); !strings.Contains(md, "stopped at its page cap") || !strings.Contains(md, "for the 2 most recent") {
		t.Errorf("the scorecard does not say it is partial:\n%s", md)
	}
}
