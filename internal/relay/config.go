package relay

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Defaults for Config.
const (
	// DefaultWindow is how far Sentry-Hook-Timestamp may be from now.
	DefaultWindow = 5 * time.Minute
	// maxWindow bounds Window: a longer one makes replays cheap.
	maxWindow = time.Hour
)

// Config is the relay's optional YAML file. The zero value is not valid;
// start from DefaultConfig.
type Config struct {
	// Projects maps Sentry project slugs to "owner/name" repositories. A
	// project not listed goes to the relay's default repository.
	Projects map[string]string
	// Window is how far a webhook's timestamp may lie from the relay's
	// clock, in either direction. Request ids and signatures are remembered
	// for twice this long to drop replays.
	Window time.Duration
	// ForwardResolved forwards issue webhooks with the actions resolved,
	// ignored and archived, so the action can close the loop. Default true.
	ForwardResolved bool
}

// DefaultConfig is the configuration used without a file: no project
// mapping, a 5 minute window, resolved/ignored forwarded.
func DefaultConfig() Config {
	return Config{Projects: map[string]string{}, Window: DefaultWindow, ForwardResolved: true}
}

// fileConfig is the YAML shape of Config.
type fileConfig struct {
	Projects        map[string]string `yaml:"projects"`
	Window          *string           `yaml:"window"`
	ForwardResolved *bool             `yaml:"forward_resolved"`
}

// ParseConfig reads the YAML config over DefaultConfig and validates it.
// Unknown keys are errors. An empty document gives the defaults.
func ParseConfig(data []byte) (Config, error) {
	c := DefaultConfig()
	var f fileConfig
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return Config{}, fmt.Errorf("parse relay config: %w", err)
	}
	if f.Projects != nil {
		c.Projects = f.Projects
	}
	if f.ForwardResolved != nil {
		c.ForwardResolved = *f.ForwardResolved
	}
	if f.Window != nil {
		d, err := time.ParseDuration(*f.Window)
		if err != nil {
			return Config{}, fmt.Errorf("relay config: window: %w", err)
		}
		c.Window = d
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// Validate checks the window and every project mapping; the error names
// the field.
func (c Config) Validate() error {
	if c.Window < time.Second || c.Window > maxWindow {
		return fmt.Errorf("relay config: window: %s is out of range: want between 1s and %s", c.Window, maxWindow)
	}
	slugs := make([]string, 0, len(c.Projects))
	for s := range c.Projects {
		slugs = append(slugs, s)
	}
	sort.Strings(slugs)
	for _, s := range slugs {
		if !slugPattern.MatchString(s) {
			return fmt.Errorf("relay config: projects: %q is not a Sentry project slug (lowercase letters, digits, - and _)", s)
		}
		if err := ValidateRepo(c.Projects[s]); err != nil {
			return fmt.Errorf("relay config: projects.%s: %w", s, err)
		}
	}
	return nil
}

// repoPart is one half of "owner/name".
var repoPart = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,100}$`)

// ValidateRepo checks that repo is "owner/name".
func ValidateRepo(repo string) error {
	if _, _, ok := splitRepo(repo); !ok {
		return fmt.Errorf("invalid repository %q: want \"owner/name\"", repo)
	}
	return nil
}

// splitRepo splits "owner/name", rejecting anything else.
func splitRepo(repo string) (owner, name string, ok bool) {
	owner, name, ok = strings.Cut(repo, "/")
	for _, p := range []string{owner, name} {
		if !ok || !repoPart.MatchString(p) || p == "." || p == ".." {
			return "", "", false
		}
	}
	return owner, name, true
}
