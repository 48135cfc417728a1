// Package config reads what a run is told: the action's inputs (through
// go-githubactions, never the process environment directly), the runner's
// context variables, and the repository policy file .github/dawnpatch.yml.
//
// Each source goes Default → Parse → Validate, and every error names the
// input, or the file, line and field, that is wrong.
package config
