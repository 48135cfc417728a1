package patch

import (
	"fmt"
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"
)

// Diff renders changes as the unified diff git writes: a "diff --git"
// header per file, "new file mode" for a created file, "---"/"+++" lines
// (/dev/null for the missing side) and hunks with three lines of context.
// It is computed from the data alone: the diff the guards and the judge see
// is exactly the one the changes commit. A change that changes nothing
// renders nothing.
func Diff(changes []Change) string {
	var b strings.Builder
	for _, c := range changes {
		if c.Old == c.New && !c.Created {
			continue
		}
		fmt.Fprintf(&b, "diff --git a/%s b/%s\n", c.Path, c.Path)
		from := "a/" + c.Path
		if c.Created {
			fmt.Fprintf(&b, "new file mode %s\n", gitMode(c))
			from = "/dev/null"
		}
		b.WriteString(udiff.Unified(from, "b/"+c.Path, c.Old, c.New))
	}
	return b.String()
}

// gitMode is the file mode git records for the change's file.
func gitMode(c Change) string {
	if c.Executable() {
		return "100755"
	}
	return "100644"
}
