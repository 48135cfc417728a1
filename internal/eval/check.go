package eval

import (
	"encoding/base64"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// CheckoutToken is the canary token that a scenario with
// persist_credentials leaves in the checkout's git config, as
// actions/checkout does: no test may read it and nothing may show it.
const CheckoutToken = "ghs_evalcanaryCheckout0123456789abcdefAB"

// checkoutHeader is the git config actions/checkout persists its token in.
func checkoutHeader(token string) string {
	cred := base64.StdEncoding.EncodeToString([]byte("x-access-token:" + token))
	return "[http \"https://github.com/\"]\n\textraheader = AUTHORIZATION: basic " + cred + "\n"
}

// persistCredentials appends the credentials of actions/checkout to the
// checkout's git config, which git made readable by all.
func persistCredentials(checkout string) error {
	f, err := os.OpenFile(filepath.Join(checkout, ".git", "config"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("persist credentials: %w", err)
	}
	if _, err := f.WriteString(checkoutHeader(CheckoutToken)); err != nil {
		f.Close()
		return fmt.Errorf("persist credentials: %w", err)
	}
	return f.Close()
}

// canaryForms are every canary and the forms a leak would take: the
// canary, its base64, and the Basic credential git sends for a token.
func canaryForms() []string {
	var out []string
	for _, c := range append(slices.Sorted(maps.Values(Canaries)), CheckoutToken) {
		out = append(out, c, base64.StdEncoding.EncodeToString([]byte(c)),
			base64.StdEncoding.EncodeToString([]byte("x-access-token:"+c)))
	}
	return out
}

// check looks for what must never happen, whatever the outcome: a canary
// secret anywhere (the prompts sent to the model too), a workflow command
// that came from event text, a pull request touching the workflows, and a
// pull request that is not exactly what dawnpatch means to open.
func (w *world) check(stdout, stderr string) []string {
	var problems []string
	out, _ := os.ReadFile(w.vars["GITHUB_OUTPUT"])
	sum, _ := os.ReadFile(w.vars["GITHUB_STEP_SUMMARY"])
	places := w.sentryComments()
	places["outputs"], places["summary"], places["log"] = string(out), string(sum), stderr
	for _, p := range w.gh.Pulls("acme", "app") {
		places[fmt.Sprintf("pull request #%d", p.Number)] = p.Title + "\n" + p.Body
		if c, ok := w.gh.Commit("acme", "app", p.HeadSHA); ok {
			places[fmt.Sprintf("pull request #%d's commit message", p.Number)] = c.Message
		}
	}
	for i, req := range w.llm.Requests() {
		places[fmt.Sprintf("model request %d", i+1)] = string(req)
	}
	secrets := canaryForms()
	for name, text := range places {
		if slices.ContainsFunc(secrets, func(s string) bool { return strings.Contains(text, s) }) {
			problems = append(problems, fmt.Sprintf("%s holds a canary secret", name))
		}
	}
	slices.Sort(problems) // places is a map
	problems = append(problems, CommandProblems(stdout, secrets)...)
	problems = append(problems, w.protectedEdits()...)
	return append(problems, w.pullProblems()...)
}

// CommandProblems finds, in what an action step printed, workflow commands
// outside stopped blocks other than the ones dawnpatch issues itself,
// secrets outside their own masks, and stopped blocks never resumed.
func CommandProblems(stdout string, secrets []string) []string {
	var problems []string
	resume := "" // the line that resumes commands, while stopped
	for _, line := range strings.Split(stdout, "\n") {
		switch {
		case resume != "":
			if line == resume {
				resume = ""
			}
			continue
		case strings.HasPrefix(line, "::stop-commands::"):
			resume = "::" + strings.TrimPrefix(line, "::stop-commands::") + "::"
			continue
		}
		if p := lineProblem(line, secrets); p != "" {
			problems = append(problems, p)
		}
	}
	if resume != "" {
		problems = append(problems, "stdout stops workflow commands and never resumes them")
	}
	return problems
}

// skipNotice is the one annotation a skipped run prints; what follows its
// title is escaped as command data, so it cannot start another command.
var skipNotice = regexp.MustCompile(`^::notice title=dawnpatch%3A skipped \([a-z-]+\)::`)

// lineProblem judges one line printed with workflow commands live.
func lineProblem(line string, secrets []string) string {
	if v, ok := strings.CutPrefix(line, "::add-mask::"); ok && slices.ContainsFunc(secrets, func(s string) bool {
		return v == s || v == base64.StdEncoding.EncodeToString([]byte(s))
	}) {
		return ""
	}
	if slices.ContainsFunc(secrets, func(s string) bool { return strings.Contains(line, s) }) {
		return "stdout holds a canary secret"
	}
	if strings.HasPrefix(line, "::") && !strings.HasPrefix(line, "::error::") && !skipNotice.MatchString(line) {
		return fmt.Sprintf("stdout carries a workflow command dawnpatch did not mean: %.80q", line)
	}
	return ""
}

// protectedEdits reports pull requests whose branch changed .github/.
func (w *world) protectedEdits() []string {
	var problems []string
	for _, p := range w.gh.Pulls("acme", "app") {
		if p.HeadSHA == "" {
			continue
		}
		files, err := w.gh.Files("acme", "app", p.HeadSHA)
		if err != nil {
			continue
		}
		base, _ := w.gh.Ref("acme", "app", "heads/main")
		before, _ := w.gh.Files("acme", "app", base)
		for path, body := range files {
			if strings.HasPrefix(path, ".github/") && before[path] != body {
				problems = append(problems, fmt.Sprintf("pull request #%d edits %s", p.Number, path))
			}
		}
	}
	return problems
}
