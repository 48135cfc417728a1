package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Duration is a time.Duration that also accepts whole days ("14d") and
// weeks ("2w") as well as Go's units ("30m", "2h", "1h30m").
type Duration time.Duration

// ParseDuration parses "30m", "2h", "1h30m", "14d", "2w" or "1d12h".
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty duration")
	}
	var total time.Duration
	for _, unit := range []struct {
		suffix string
		size   time.Duration
	}{{"w", 7 * 24 * time.Hour}, {"d", 24 * time.Hour}} {
		head, rest, ok := strings.Cut(s, unit.suffix)
		if !ok {
			continue
		}
		n, err := strconv.Atoi(head)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("invalid duration %q: want forms like 30m, 2h, 14d", s)
		}
		total += time.Duration(n) * unit.size
		s = rest
	}
	if s == "" {
		return total, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("invalid duration %q: want forms like 30m, 2h, 14d", s)
	}
	return total + d, nil
}

// UnmarshalYAML accepts a duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: want a duration like 30m, 2h or 14d", n.Line)
	}
	v, err := ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*d = Duration(v)
	return nil
}

// String formats the duration in Go's form.
func (d Duration) String() string { return time.Duration(d).String() }

// MarshalYAML writes the duration in the form ParseDuration reads: 0,
// "14d", "2h", "1d12h", "1m30s".
func (d Duration) MarshalYAML() (any, error) {
	if d == 0 {
		return 0, nil // unquoted; UnmarshalYAML reads it back
	}
	return FormatDuration(time.Duration(d)), nil
}

// FormatDuration formats d with whole days as "d" and the rest in Go's
// units without zero parts: 336h is "14d", 36h "1d12h", 2h "2h", 0 "0".
func FormatDuration(d time.Duration) string {
	if d == 0 {
		return "0"
	}
	day := 24 * time.Hour
	var s string
	if d >= day {
		s = strconv.FormatInt(int64(d/day), 10) + "d"
		d %= day
	}
	if d == 0 {
		return s
	}
	rest := d.String()
	if strings.HasSuffix(rest, "m0s") {
		rest = strings.TrimSuffix(rest, "0s")
	}
	if strings.HasSuffix(rest, "h0m") {
		rest = strings.TrimSuffix(rest, "0m")
	}
	return s + rest
}
