package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Policy is the repository's policy file (.github/dawnpatch.yml). Every
// field has a documented default (see Default); a missing file means the
// defaults.
type Policy struct {
	Triage TriagePolicy `yaml:"triage"`
	Dedup  DedupPolicy  `yaml:"dedup"`
	Fix    FixPolicy    `yaml:"fix"`
	Judge  JudgePolicy  `yaml:"judge"`
	PR     PRPolicy     `yaml:"pr"`
	// Prices are per-model prices in US dollars per million tokens, used
	// for the cost budget (max-cost-usd). With a cost cap set, model and
	// judge-model must each have one (see CheckCostCap); without a cap, a
	// model without a price is counted at 0.
	Prices map[string]Price `yaml:"prices"`
}

// TriagePolicy decides which errors deserve a fix at all.
type TriagePolicy struct {
	// Environments the run acts on; default [production].
	Environments []string `yaml:"environments"`
	// MinLevel is the lowest Sentry level acted on; default error.
	MinLevel string `yaml:"min_level"`
	// MinEvents is how many events an issue needs; default 1.
	MinEvents int `yaml:"min_events"`
	// MinUsers is how many users an issue must affect; default 0.
	MinUsers int `yaml:"min_users"`
	// MaxAge skips issues first seen longer ago; 0 means no limit.
	MaxAge Duration `yaml:"max_age"`
	// Ignore lists errors never acted on.
	Ignore []IgnoreRule `yaml:"ignore"`
	// External lists message patterns (regular expressions) that mark a
	// failure of a third party rather than of this code.
	External []string `yaml:"external"`
	// ModelGate turns the model's "worth fixing now?" call on; default true.
	ModelGate bool `yaml:"model_gate"`
	// ModelThreshold is the confidence the model gate needs; default 0.6.
	ModelThreshold float64 `yaml:"model_threshold"`
}

// IgnoreRule matches errors to leave alone. Set fields must all match.
type IgnoreRule struct {
	// Type is an exact exception type.
	Type string `yaml:"type"`
	// Message is a regular expression over the message.
	Message string `yaml:"message"`
	// Path is a glob over the crash frame's file (doublestar syntax).
	Path string `yaml:"path"`
}

// DedupPolicy governs how existing work on GitHub is respected.
type DedupPolicy struct {
	// Cooldown leaves an error class alone after a human closed its pull
	// request unmerged; default 14d.
	Cooldown Duration `yaml:"cooldown"`
	// ClaimTTL is how long a claimed branch without a pull request is held
	// before another run may take it over; default 2h.
	ClaimTTL Duration `yaml:"claim_ttl"`
	// AreaRejections is how many dawnpatch pull requests in the same area
	// (the crash's package or directory), closed unmerged within AreaWindow,
	// make dawnpatch abstain there (rejected-before); fewer raise the judge's
	// threshold by 0.05 each. Default 3; 0 turns the rule off.
	AreaRejections int `yaml:"area_rejections"`
	// AreaWindow is how far back AreaRejections looks; default 30d.
	AreaWindow Duration `yaml:"area_window"`
}

// FixPolicy bounds what a fix may change.
type FixPolicy struct {
	// ProtectedPaths are globs never edited, added to the built-in list.
	ProtectedPaths []string `yaml:"protected_paths"`
	// AllowedPaths, when set, are the only globs that may be edited.
	AllowedPaths []string `yaml:"allowed_paths"`
	// MaxFiles caps the files a fix may touch; default 5.
	MaxFiles int `yaml:"max_files"`
	// MaxChangedLines caps added plus removed lines; default 200.
	MaxChangedLines int `yaml:"max_changed_lines"`
	// TestCommand overrides the detected test command (the input wins).
	TestCommand string `yaml:"test_command"`
	// TestImage is the image the tests run in when they run in
	// containers; empty means derived from the repository (the input wins).
	TestImage string `yaml:"test_image"`
	// TestEnv holds variables every test run and the setup get, such as
	// MODE: dev when the project's tests read their sources only so; names
	// are environment variable names, never dawnpatch's own or the
	// runner's (GITHUB_*, ACTIONS_*, INPUT_*, RUNNER_*).
	TestEnv map[string]string `yaml:"test_env"`
	// Setup is a shell command that installs the dependencies before the
	// tests, once per run, with network; empty means detected (the input
	// wins).
	Setup string `yaml:"setup"`
}

// JudgePolicy sets the bar a fix must clear.
type JudgePolicy struct {
	// Threshold is the weighted score (0..1) a fix needs; default 0.75.
	Threshold float64 `yaml:"threshold"`
	// MaxAttempts is how many fixes may be tried with the judge's
	// feedback; default 2.
	MaxAttempts int `yaml:"max_attempts"`
}

// PRPolicy shapes the pull request.
type PRPolicy struct {
	// Draft opens pull requests as drafts; default true.
	Draft bool `yaml:"draft"`
	// Labels are added to every pull request; default [dawnpatch].
	Labels []string `yaml:"labels"`
	// Reviewers are requested on every pull request.
	Reviewers []string `yaml:"reviewers"`
	// RequestSuspect also asks for a review from the author of the commit
	// that last changed the crash line (found with git blame); default
	// false.
	RequestSuspect bool `yaml:"request_suspect"`
	// MaxPerDay caps pull requests per day; 0 means the input decides.
	MaxPerDay int `yaml:"max_per_day"`
	// RefreshAfter lets dawnpatch try again when the error of one of its
	// open pull requests fires again and the pull request is older than
	// this, nobody pushed to it, and the new proven fix scores higher: the
	// branch and body are updated (pr-updated). 0, the default, never does.
	RefreshAfter Duration `yaml:"refresh_after"`
}

// Price is a model's price in US dollars per million tokens.
type Price struct {
	Input  float64 `yaml:"input"`
	Output float64 `yaml:"output"`
}

// Default returns the policy used when the repository has no policy file.
func Default() *Policy {
	return &Policy{
		Triage: TriagePolicy{
			Environments:   []string{"production"},
			MinLevel:       "error",
			MinEvents:      1,
			ModelGate:      true,
			ModelThreshold: 0.6,
			External:       DefaultExternal(),
		},
		Dedup: DedupPolicy{Cooldown: Duration(14 * 24 * time.Hour), ClaimTTL: Duration(2 * time.Hour),
			AreaRejections: 3, AreaWindow: Duration(30 * 24 * time.Hour)},
		Fix:   FixPolicy{MaxFiles: 5, MaxChangedLines: 200},
		Judge: JudgePolicy{Threshold: 0.75, MaxAttempts: 2},
		PR:    PRPolicy{Draft: true, Labels: []string{"dawnpatch"}},
	}
}

// DefaultExternal are the message patterns of failures that come from
// outside the code: timeouts, refused and reset connections, DNS failures,
// gateways answering 502, 503 or 504. A policy's triage.external replaces
// them.
func DefaultExternal() []string {
	return []string{
		`(?i)\b(connection refused|connection reset( by peer)?|broken pipe|no route to host|network is unreachable)\b`,
		`(?i)\b(i/o timeout|context deadline exceeded|tls handshake timeout|timed out|read timeout|connect timeout)\b`,
		`(?i)\b(no such host|temporary failure in name resolution|getaddrinfo|name or service not known)\b`,
		`\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|EHOSTUNREACH)\b`,
		`(?i)\b(502 bad gateway|503 service unavailable|504 gateway time-?out)\b`,
	}
}

// ParsePolicy parses a policy file over the defaults and validates it.
// file names the file in errors. Unknown fields are errors.
func ParsePolicy(file string, data []byte) (*Policy, error) {
	p := Default()
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlError(file, nil, err)
	}
	if len(root.Content) == 0 {
		return p, nil // an empty file means the defaults
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(p); err != nil && !errors.Is(err, io.EOF) {
		return nil, yamlError(file, &root, err)
	}
	if errs := p.Validate(); len(errs) > 0 {
		for _, e := range errs {
			e.File = file
			e.Line = lineOf(&root, e.Field)
		}
		return nil, errors.Join(asErrors(errs)...)
	}
	return p, nil
}

var levels = map[string]int{"debug": 0, "info": 1, "warning": 2, "error": 3, "fatal": 4}

// LevelRank orders Sentry levels from debug (0) to fatal (4); -1 when
// the level is unknown.
func LevelRank(level string) int {
	if r, ok := levels[strings.ToLower(level)]; ok {
		return r
	}
	return -1
}

// Validate checks every field and returns one error per bad field, each
// naming the field's path.
func (p *Policy) Validate() []*Error {
	var errs []*Error
	bad := func(field, format string, args ...any) {
		errs = append(errs, &Error{Field: field, Err: fmt.Errorf(format, args...)})
	}
	t := p.Triage
	if LevelRank(t.MinLevel) < 0 {
		bad("triage.min_level", "want one of debug, info, warning, error, fatal, got %q", t.MinLevel)
	}
	nonNegative(bad, "triage.min_events", t.MinEvents)
	nonNegative(bad, "triage.min_users", t.MinUsers)
	fraction(bad, "triage.model_threshold", t.ModelThreshold)
	for i, r := range t.Ignore {
		field := fmt.Sprintf("triage.ignore[%d]", i)
		if r == (IgnoreRule{}) {
			bad(field, "want at least one of type, message, path")
		}
		if _, err := regexp.Compile(r.Message); err != nil {
			bad(field+".message", "invalid regular expression: %v", err)
		}
	}
	for i, pat := range t.External {
		if _, err := regexp.Compile(pat); err != nil {
			bad(fmt.Sprintf("triage.external[%d]", i), "invalid regular expression: %v", err)
		}
	}
	if p.Fix.MaxFiles < 1 {
		bad("fix.max_files", "must be ≥ 1, got %d", p.Fix.MaxFiles)
	}
	if p.Fix.MaxChangedLines < 1 {
		bad("fix.max_changed_lines", "must be ≥ 1, got %d", p.Fix.MaxChangedLines)
	}
	for name := range p.Fix.TestEnv {
		if !envName.MatchString(name) || reservedEnv.MatchString(name) {
			bad("fix.test_env."+name, "want an environment variable name other than PATH, HOME and the runner's own (GITHUB_*, ACTIONS_*, INPUT_*, RUNNER_*)")
		}
	}
	fraction(bad, "judge.threshold", p.Judge.Threshold)
	if p.Judge.MaxAttempts < 1 || p.Judge.MaxAttempts > 5 {
		bad("judge.max_attempts", "must be between 1 and 5, got %d", p.Judge.MaxAttempts)
	}
	nonNegative(bad, "pr.max_per_day", p.PR.MaxPerDay)
	nonNegative(bad, "dedup.area_rejections", p.Dedup.AreaRejections)
	for model, price := range p.Prices {
		if price.Input < 0 || price.Output < 0 {
			bad("prices."+model, "prices must be ≥ 0")
		}
	}
	return errs
}

// envName and reservedEnv judge fix.test_env's names.
var (
	envName     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	reservedEnv = regexp.MustCompile(`^(PATH|HOME|TMPDIR|(GITHUB|ACTIONS|INPUT|RUNNER)_.*)$`)
)

func nonNegative(bad func(string, string, ...any), field string, v int) {
	if v < 0 {
		bad(field, "must be ≥ 0, got %d", v)
	}
}

func fraction(bad func(string, string, ...any), field string, v float64) {
	if v < 0 || v > 1 || v != v {
		bad(field, "must be between 0 and 1, got %v", v)
	}
}

func asErrors(errs []*Error) []error {
	out := make([]error, len(errs))
	for i, e := range errs {
		out[i] = e
	}
	return out
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// yamlError turns yaml.v3's "line N: ..." errors into *Error values that
// name the file and line.
func yamlError(file string, root *yaml.Node, err error) error {
	var te *yaml.TypeError
	msgs := []string{err.Error()}
	if errors.As(err, &te) {
		msgs = te.Errors
	}
	var out []error
	for _, m := range msgs {
		e := &Error{File: file, Field: "policy", Err: errors.New(m)}
		if sub := yamlLine.FindStringSubmatch(m); sub != nil {
			e.Line, _ = strconv.Atoi(sub[1])
			e.Err = errors.New(sub[2])
			if f := fieldInMessage(sub[2]); f != "" {
				e.Field = f
			} else if f := pathAtLine(root, e.Line, ""); f != "" {
				e.Field = f
			}
		}
		out = append(out, e)
	}
	return errors.Join(out...)
}

var fieldNotFound = regexp.MustCompile(`^field (\S+) not found`)

func fieldInMessage(msg string) string {
	if sub := fieldNotFound.FindStringSubmatch(msg); sub != nil {
		return sub[1]
	}
	return ""
}

// lineOf finds the line of a dotted field path ("triage.ignore[1].message")
// in a parsed YAML document; 0 when it is not there.
func lineOf(doc *yaml.Node, path string) int {
	n := doc
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := 0
	for _, part := range strings.Split(path, ".") {
		key, idx, hasIdx := strings.Cut(part, "[")
		v, vline := mapValue(n, key)
		if v == nil {
			return line
		}
		n, line = v, vline
		if hasIdx {
			i, _ := strconv.Atoi(strings.TrimSuffix(idx, "]"))
			if n.Kind != yaml.SequenceNode || i >= len(n.Content) {
				return line
			}
			n, line = n.Content[i], n.Content[i].Line
		}
	}
	return line
}

// mapValue returns the value node of key in a mapping node and the line
// of the value (0 and nil when absent).
func mapValue(n *yaml.Node, key string) (*yaml.Node, int) {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, 0
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1], n.Content[i+1].Line
		}
	}
	return nil, 0
}

// pathAtLine names the field whose value starts on line, as a dotted path;
// "" when there is none.
func pathAtLine(n *yaml.Node, line int, prefix string) string {
	if n == nil {
		return ""
	}
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			if p := pathAtLine(c, line, prefix); p != "" {
				return p
			}
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			path := strings.TrimPrefix(prefix+"."+k.Value, ".")
			if v.Line == line && v.Kind == yaml.ScalarNode {
				return path
			}
			if p := pathAtLine(v, line, path); p != "" {
				return p
			}
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			path := fmt.Sprintf("%s[%d]", prefix, i)
			if c.Line == line && c.Kind == yaml.ScalarNode {
				return path
			}
			if p := pathAtLine(c, line, path); p != "" {
				return p
			}
		}
	}
	return ""
}
