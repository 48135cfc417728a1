package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/config"
)

// ConfigError renders the step summary of a run its configuration
// stopped: what is wrong, where (the input, the policy file's field and
// line, or the runner variable) and how to fix it.
func ConfigError(e *config.Error) string {
	var b strings.Builder
	b.WriteString("## dawnpatch: configuration error\n\n")
	b.WriteString("The run stopped on its configuration, before it worked on any error.\n\n")
	fmt.Fprintf(&b, "**What is wrong:** %s:\n\n", where(e))
	b.WriteString(Fence("text", e.Err.Error()))
	fmt.Fprintf(&b, "\n**Fix:** %s\n", fix(e))
	return b.String()
}

// where names the value that is wrong.
func where(e *config.Error) string {
	switch {
	case e.File != "" && e.Line > 0:
		return fmt.Sprintf("field %s of the policy file %s, line %d", Inline(e.Field), Inline(e.File), e.Line)
	case e.File != "":
		return fmt.Sprintf("field %s of the policy file %s", Inline(e.Field), Inline(e.File))
	case e.Env:
		return fmt.Sprintf("the runner variable %s", Inline(e.Field))
	default:
		return fmt.Sprintf("the input %s", Inline(e.Field))
	}
}

// fix says where to change the value.
func fix(e *config.Error) string {
	switch {
	case e.File != "":
		return fmt.Sprintf("correct %s in %s and push it; a field you leave out keeps its default. "+
			"The README's *Policy file* section lists every field with its default.", Inline(e.Field), Inline(e.File))
	case e.Env:
		return fmt.Sprintf("the runner sets %s for every step: run dawnpatch as a step of a GitHub Actions job, "+
			"or set it yourself for a local run.", Inline(e.Field))
	case slices.Contains(config.SecretInputs, e.Field):
		return fmt.Sprintf("set %s under `with:` of the dawnpatch step in the workflow file, from a secret "+
			"(`%s: ${{ secrets.NAME }}`), and run the workflow again.", Inline(e.Field), e.Field)
	default:
		return fmt.Sprintf("set %s under `with:` of the dawnpatch step in the workflow file, and run the workflow again. "+
			"The README's *Inputs* table lists every input with its default and the values it takes.", Inline(e.Field))
	}
}
