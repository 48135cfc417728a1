package relay

import (
	"sync"
	"time"
)

// DefaultReplayCapacity bounds how many keys the replay cache remembers.
const DefaultReplayCapacity = 10000

// replayCache remembers keys (request ids, signatures) until they expire,
// holding at most capacity of them: when full, the oldest is forgotten
// first. Safe for concurrent use.
type replayCache struct {
	mu       sync.Mutex
	ttl      time.Duration
	capacity int
	expiry   map[string]time.Time
	order    []replayEntry // insertion order, so oldest first
}

type replayEntry struct {
	key string
	exp time.Time
}

func newReplayCache(ttl time.Duration, capacity int) *replayCache {
	if capacity < 1 {
		capacity = DefaultReplayCapacity
	}
	return &replayCache{ttl: ttl, capacity: capacity, expiry: map[string]time.Time{}}
}

// reserve records keys at now and reports true, or reports false, recording
// nothing, when any key is already remembered and unexpired.
func (c *replayCache) reserve(now time.Time, keys ...string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.prune(now)
	for _, k := range keys {
		if exp, ok := c.expiry[k]; ok && now.Before(exp) {
			return false
		}
	}
	for _, k := range keys {
		exp := now.Add(c.ttl)
		c.expiry[k] = exp
		c.order = append(c.order, replayEntry{k, exp})
	}
	c.evict()
	return true
}

// release forgets keys, so a request that failed downstream may be retried.
func (c *replayCache) release(keys ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range keys {
		delete(c.expiry, k)
	}
}

// prune drops expired entries from the front.
func (c *replayCache) prune(now time.Time) {
	for len(c.order) > 0 && !now.Before(c.order[0].exp) {
		c.drop()
	}
}

// evict drops the oldest entries until the cache fits its capacity.
func (c *replayCache) evict() {
	for len(c.expiry) > c.capacity || len(c.order) > 2*c.capacity {
		c.drop()
	}
}

// drop removes the oldest entry, and its key unless it was re-recorded.
func (c *replayCache) drop() {
	e := c.order[0]
	c.order = c.order[1:]
	if exp, ok := c.expiry[e.key]; ok && exp.Equal(e.exp) {
		delete(c.expiry, e.key)
	}
}

// len reports how many keys are remembered.
func (c *replayCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.expiry)
}
