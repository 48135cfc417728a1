package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// maxPolicyBytes caps the policy file; a larger one is a mistake.
const maxPolicyBytes = 256 << 10

// Config is everything one run is told: inputs, runner context and policy.
type Config struct {
	Inputs Inputs
	Runner Runner
	Policy *Policy
	// PolicyFound reports whether the policy file existed.
	PolicyFound bool
}

// Load reads the inputs through getInput, the runner's context through
// getenv, and the policy file from the workspace, and checks that a poll
// of Sentry has the inputs it needs (see [CheckPoll]).
func Load(getInput, getenv func(string) string) (*Config, error) {
	in, err := ReadInputs(getInput)
	if err != nil {
		return nil, err
	}
	rn, err := ReadRunner(getenv)
	if err != nil {
		return nil, err
	}
	pol, found, err := LoadPolicy(rn.Workspace, in.PolicyFile)
	if err != nil {
		return nil, err
	}
	if err := CheckCostCap(in, pol, in.PolicyFile); err != nil {
		return nil, err
	}
	cfg := &Config{Inputs: in, Runner: rn, Policy: pol, PolicyFound: found}
	if cfg.Polls() {
		if err := CheckPoll(in); err != nil {
			return nil, err
		}
	}
	return cfg, nil
}

// CheckCostCap fails closed on a cost cap it cannot enforce: with
// max-cost-usd above 0, model and judge-model must each have a price under
// the policy's prices key, or a run could spend without ever reaching the
// cap. policyFile names the file in the error. A price of 0 is a price
// (a local server costs nothing).
func CheckCostCap(in Inputs, p *Policy, policyFile string) error {
	if in.MaxCostUSD <= 0 {
		return nil
	}
	var missing []string
	for _, m := range []string{in.Model, in.JudgeModel} {
		if _, ok := p.Prices[m]; !ok && m != "" && !slices.Contains(missing, m) {
			missing = append(missing, m)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	quoted := make([]string, len(missing))
	for i, m := range missing {
		quoted[i] = strconv.Quote(m)
	}
	return inputErr("max-cost-usd", "%v needs a price for model %s: add it under prices in %s, "+
		"e.g. prices: {%s: {input: 2.0, output: 8.0}} (US dollars per million tokens), or set max-cost-usd to 0",
		in.MaxCostUSD, strings.Join(quoted, " and "), policyFile, quoted[0])
}

// LoadPolicy reads the policy file rel inside the workspace root. A
// missing file gives the defaults; a malformed one is an error naming the
// file, line and field.
func LoadPolicy(root, rel string) (*Policy, bool, error) {
	clean := filepath.ToSlash(filepath.Clean(rel))
	if filepath.IsAbs(rel) || clean == ".." || strings.HasPrefix(clean, "../") {
		return nil, false, inputErr("policy-file", "want a path inside the workspace, got %q", rel)
	}
	data, err := readCapped(filepath.Join(root, clean))
	if errors.Is(err, fs.ErrNotExist) {
		return Default(), false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read policy file %s: %w", clean, err)
	}
	p, err := ParsePolicy(clean, data)
	if err != nil {
		return nil, true, err
	}
	return p, true, nil
}

func readCapped(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file")
	}
	if info.Size() > maxPolicyBytes {
		return nil, fmt.Errorf("file is %d bytes, more than the %d allowed", info.Size(), maxPolicyBytes)
	}
	return os.ReadFile(path)
}
