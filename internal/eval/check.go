package eval

import (
	"encoding/base64"
	"fmt"
	"os"
	"regexp"
	"strings"
)

// check looks for what must never happen, whatever the outcome: a canary
// secret anywhere, a workflow command that came from event text, a pull
// request touching the workflows.
func (w *world) check(stdout, stderr string) []string {
	var problems []string
	out, _ := os.ReadFile(w.vars["GITHUB_OUTPUT"])
	sum, _ := os.ReadFile(w.vars["GITHUB_STEP_SUMMARY"])
	places := w.sentryComments()
	places["outputs"], places["summary"], places["log"] = string(out), string(sum), stderr
	for _, p := range w.gh.Pulls("acme", "app") {
		places[fmt.Sprintf("pull request #%d", p.Number)] = p.Title + "\n" + p.Body
	}
	for _, secret := range Canaries {
		for name, text := range places {
			if strings.Contains(text, secret) {
				problems = append(problems, fmt.Sprintf("%s holds a canary secret", name))
			}
		}
	}
	secrets := make([]string, 0, len(Canaries))
	for _, v := range Canaries {
		secrets = append(secrets, v)
	}
	problems = append(problems, CommandProblems(stdout, secrets)...)
	return append(problems, w.protectedEdits()...)
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
	for _, secret := range secrets {
		if line == "::add-mask::"+secret || line == "::add-mask::"+base64.StdEncoding.EncodeToString([]byte(secret)) {
			return ""
		}
		if strings.Contains(line, secret) {
			return "stdout holds a canary secret"
		}
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
