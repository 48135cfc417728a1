package relay

import (
	"fmt"
	"testing"
	"time"
)

func TestReplayCacheBounded(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	c := newReplayCache(time.Minute, 3)
	for i := range 5 {
		if !c.reserve(now, fmt.Sprint(i)) {
			t.Fatalf("reserve(%d) = false on a fresh key", i)
		}
	}
	if got := c.len(); got != 3 {
		t.Errorf("len = %d, want the capacity 3", got)
	}
	if !c.reserve(now, "0") {
		t.Error("the oldest key was not forgotten when the cache filled")
	}
	if c.reserve(now, "4") {
		t.Error("a recent key was forgotten")
	}
	if !c.reserve(now.Add(time.Minute), "4") {
		t.Error("a key was remembered past its ttl")
	}
}

func TestReplayCacheAllOrNothing(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	c := newReplayCache(time.Minute, 10)
	c.reserve(now, "a")
	if c.reserve(now, "b", "a") {
		t.Fatal("reserve with a seen key = true")
	}
	if !c.reserve(now, "b") {
		t.Error("a refused reserve recorded its other keys")
	}
	c.release("a")
	if !c.reserve(now, "a") {
		t.Error("a released key is still remembered")
	}
}

func TestReplayCacheChurnStaysBounded(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	c := newReplayCache(time.Hour, 100)
	for i := range 10_000 {
		k := fmt.Sprint(i)
		c.reserve(now, k)
		if i%2 == 0 {
			c.release(k)
		}
	}
	if got := c.len(); got > 100 {
		t.Errorf("len = %d, want ≤ 100", got)
	}
	if got := len(c.order); got > 200 {
		t.Errorf("queue length = %d, want ≤ 200", got)
	}
}
