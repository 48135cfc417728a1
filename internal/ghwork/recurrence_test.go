package ghwork

import (
	"context"
	"testing"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/ghwork/ghfake"
)

func TestNoteRecurrenceAtMostOncePerGap(t *testing.T) {
	e := newEnv(t)
	now := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	e.fake.SetClock(func() time.Time { return now })
	n := e.fake.AddPull("acme", "shop", ghfake.PullSeed{Title: "fix", Body: Marker(fp, ""), Head: "h", Base: "main"})
	ctx := context.Background()
	steps := []struct {
		at   time.Duration
		want bool
	}{{0, true}, {time.Hour, false}, {25 * time.Hour, true}}
	for _, s := range steps {
		at := now.Add(s.at)
		e.fake.SetClock(func() time.Time { return at })
		got, err := e.client.NoteRecurrence(ctx, n, fp, "Fired again: 12 events.", at, 24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if got != s.want {
			t.Errorf("at +%s commented = %v, want %v", s.at, got, s.want)
		}
	}
	if got := len(e.fake.Comments("acme", "shop", n)); got != 2 {
		t.Errorf("%d comments, want 2", got)
	}
}
