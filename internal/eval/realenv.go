package eval

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/testrun"
)

// Environment is what a bug's tests need of their environment beyond what
// dawnpatch detects, as its project's own users would tell dawnpatch in the
// policy file: variables every run gets (fix.test_env) and a setup command
// (fix.setup). It is read from bug.env, where the corpus recorded how it ran
// the tests, except for offlineSetup.
type Environment struct {
	// TestEnv are the VAR=value words TEST_CMD sets before its command
	// (Fuse's MODE=dev: its tests read dist/ without it).
	TestEnv map[string]string
	// Setup replaces the detected setup; "" keeps it.
	Setup string
	// Why says where the setup comes from.
	Why string
}

// offlineSetup are the setups of bugs whose own setup needs PyPI, which
// these machines cannot reach; the corpus ran their tests with Debian's
// packages (pytest, mock) and PYTHONPATH, as the test images have them.
var offlineSetup = map[string]string{
	"py-pydash-merge-none": "its requirements.txt installs the dev extras from PyPI, which is unreachable here; its tests need only pytest and mock, which the test image has",
}

// envWord matches a VAR=value word before a command.
var envWord = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)=(.*)$`)

// Environment derives the bug's environment from bug.env.
func (b *Bug) Environment() Environment {
	e := Environment{TestEnv: map[string]string{}}
	words, _ := testrun.SplitWords(b.TestCmd)
	for _, w := range words {
		m := envWord.FindStringSubmatch(w)
		if m == nil {
			break
		}
		e.TestEnv[m[1]] = m[2]
	}
	switch {
	case offlineSetup[b.Name] != "":
		e.Setup, e.Why = "true", offlineSetup[b.Name]
	case b.NPMExtra != "":
		e.Setup = "npm install --no-audit --no-fund && npm install --no-audit --no-fund --no-save " + b.NPMExtra
		e.Why = "bug.env's NPM_EXTRA: " + b.NPMExtra
	}
	return e
}

// policy is the environment as policy lines under fix:.
func (e Environment) policy() string {
	if len(e.TestEnv) == 0 && e.Setup == "" {
		return ""
	}
	var b strings.Builder
	b.WriteString("fix:\n")
	if len(e.TestEnv) > 0 {
		keys := make([]string, 0, len(e.TestEnv))
		for k := range e.TestEnv {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b.WriteString("  test_env:\n")
		for _, k := range keys {
			v, _ := json.Marshal(e.TestEnv[k])
			b.WriteString("    " + k + ": " + string(v) + "\n")
		}
	}
	if e.Setup != "" {
		v, _ := json.Marshal(e.Setup)
		b.WriteString("  setup: " + string(v) + "\n")
	}
	return b.String()
}

// String sums the environment up for the eval's header.
func (e Environment) String() string {
	var parts []string
	for k, v := range e.TestEnv {
		parts = append(parts, k+"="+v)
	}
	slices.Sort(parts)
	if e.Setup != "" {
		parts = append(parts, "setup `"+e.Setup+"` ("+e.Why+")")
	}
	return strings.Join(parts, ", ")
}
