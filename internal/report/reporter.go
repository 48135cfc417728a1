package report

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/dawnpatch/dawnpatch/internal/secret"
	"github.com/sethvargo/go-githubactions"
)

// maxSummaryBytes keeps a step summary under GitHub's 1 MiB cap for one
// step, with room to spare.
const maxSummaryBytes = 1000 << 10

// Reporter prints to the runner through go-githubactions: workflow
// commands to w, outputs and the summary to the runner's files. Outside a
// runner (no GITHUB_OUTPUT or GITHUB_STEP_SUMMARY) both go to w.
type Reporter struct {
	action  *githubactions.Action
	getenv  func(string) string
	w       io.Writer
	secrets *secret.Set
	// masked are the values Mask was given, so that each is masked once.
	masked map[string]bool
}

// New returns a Reporter writing commands to w and reading the runner's
// file-command paths through getenv.
func New(w io.Writer, getenv func(string) string) *Reporter {
	a := githubactions.New(githubactions.WithWriter(w), githubactions.WithGetenv(getenv))
	return &Reporter{action: a, getenv: getenv, w: w, secrets: secret.New()}
}

// Secrets returns the set of masked secrets, for scrubbing text the
// reporter does not print itself (a pull request body, test output).
func (r *Reporter) Secrets() *secret.Set { return r.secrets }

// Action returns the underlying go-githubactions Action, for reading inputs.
func (r *Reporter) Action() *githubactions.Action { return r.action }

// Mask tells the runner to hide each non-empty secret in every log, line
// by line, then the base64 form of each secret of [secret.MinLen]
// characters or more, and remembers them so that the reporter's own
// outputs, summary and untrusted text carry none of them in any encoding
// [secret.Set] knows. Call it before anything else is printed.
func (r *Reporter) Mask(secrets ...string) {
	var kept []string
	for _, s := range secrets {
		s = strings.TrimSpace(s)
		if s == "" || r.masked[s] {
			continue
		}
		if r.masked == nil {
			r.masked = map[string]bool{}
		}
		r.masked[s] = true
		kept = append(kept, s)
		for _, line := range strings.Split(s, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				r.action.AddMask(line)
			}
		}
	}
	for _, s := range kept {
		if utf8.RuneCountInString(s) >= secret.MinLen {
			r.action.AddMask(base64.StdEncoding.EncodeToString([]byte(s)))
		}
	}
	r.secrets.Add(kept...)
}

// Scrub removes from s every masked secret, in every encoded form, and
// every credential shape (see [secret.Set.Scrub]). Text the reporter
// prints is scrubbed already; use Scrub for text bound elsewhere, such as
// a pull request body.
func (r *Reporter) Scrub(s string) string { return r.secrets.Scrub(s) }

// SetOutput writes one output. The value goes between a random delimiter
// and is refused if it contains that delimiter, so a value can never end
// its own heredoc and forge another output.
func (r *Reporter) SetOutput(name, value string) error {
	value = r.Scrub(value)
	if r.getenv("GITHUB_OUTPUT") == "" {
		_, err := fmt.Fprintf(r.w, "output %s=%s\n", name, value)
		return err
	}
	delim, err := delimiter()
	if err != nil {
		return err
	}
	if strings.Contains(name, delim) || strings.Contains(value, delim) {
		return fmt.Errorf("set output %q: value contains the delimiter", name)
	}
	return r.fileCommand("output", fmt.Sprintf("%s<<%s\n%s\n%s", name, delim, value, delim))
}

// fileCommand appends msg to the runner file GITHUB_<NAME>. go-githubactions
// panics when the write fails; a failure here is an error instead.
func (r *Reporter) fileCommand(name, msg string) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("write %s file: %v", name, p)
		}
	}()
	r.action.IssueFileCommand(&githubactions.Command{Name: name, Message: msg})
	return nil
}

func delimiter() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("make delimiter: %w", err)
	}
	return "ghadelimiter_" + hex.EncodeToString(b), nil
}

// Untrusted prints text that may hold anything (event data, model output,
// test logs) with workflow commands stopped, so none of it is obeyed.
func (r *Reporter) Untrusted(title, text string) error {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return fmt.Errorf("make stop token: %w", err)
	}
	token := hex.EncodeToString(b)
	_, err := fmt.Fprintf(r.w, "%s\n::stop-commands::%s\n%s\n::%s::\n", title, token, r.Scrub(strings.TrimRight(text, "\n")), token)
	return err
}

// Summary writes the step summary (Markdown), cut to stay under GitHub's
// cap. Outside a runner it goes to w.
func (r *Reporter) Summary(markdown string) error {
	markdown = Cap(r.Scrub(markdown), maxSummaryBytes)
	path := r.getenv("GITHUB_STEP_SUMMARY")
	if path == "" {
		_, err := fmt.Fprintf(r.w, "\n%s\n", markdown)
		return err
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("open step summary: %w", err)
	}
	_, werr := io.WriteString(f, markdown+"\n")
	return errors.Join(werr, f.Close())
}

// maxNoticeBytes keeps an annotation's message short; the step summary
// holds the whole detail.
const maxNoticeBytes = 4 << 10

// Notice prints one ::notice:: annotation with a title. Both may hold
// untrusted text: they are scrubbed, and go-githubactions escapes the
// message as command data and the title as a property (%, CR and LF
// become %25, %0D and %0A; the title's : and , too), so a line break in
// either cannot start a workflow command of its own.
func (r *Reporter) Notice(title, message string) {
	fields := map[string]string{"title": r.Scrub(title)}
	r.action.WithFieldsMap(fields).Noticef("%s", Cap(r.Scrub(message), maxNoticeBytes))
}

// Error prints an ::error:: annotation naming what stopped the action.
func (r *Reporter) Error(err error) {
	r.action.Errorf("%s", r.Scrub(err.Error()))
}

// Cap cuts s to at most n bytes on a line boundary where it can, saying
// how much was cut.
func Cap(s string, n int) string {
	if len(s) <= n {
		return s
	}
	marker := fmt.Sprintf("\n\n… %d bytes cut …\n", len(s)-n)
	cut := s[:max(0, n-len(marker))]
	if i := strings.LastIndexByte(cut, '\n'); i > len(cut)/2 {
		cut = cut[:i]
	}
	return strings.ToValidUTF8(cut, "") + marker
}
