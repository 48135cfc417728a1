package agent

import (
	"context"
	"fmt"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/llm"
	"github.com/dawnpatch/dawnpatch/internal/workspace"
)

var readFileTool = tool{
	decl: llm.Tool{Name: "read_file",
		Description: fmt.Sprintf("Read lines of a repository file. Lines come numbered as `N| text`; `N| ` is not part of the file. At most %d lines per call.", readFileLines),
		Parameters: object([]string{"path"}, map[string]any{
			"path":  prop("string", "repository-relative path, e.g. internal/orders/handler.go"),
			"start": prop("integer", "first line, 1-based; omit for 1"),
			"end":   prop("integer", "last line, inclusive; omit for the end of the file"),
		})},
	run: func(ctx context.Context, ws *workspace.Workspace, args []byte) (result, error) {
		var a struct {
			Path       string
			Start, End int
		}
		if err := decodeArgs(args, &a); err != nil {
			return result{}, err
		}
		if err := required("path", a.Path); err != nil {
			return result{}, err
		}
		l, err := ws.ReadRange(a.Path, a.Start, a.End, readFileLines)
		if err != nil {
			return workspaceError(ws, err), nil
		}
		r := result{Header: fmt.Sprintf("%s lines %d-%d of %d", l.File, l.Start, l.End, l.Total), Data: numbered(l.Text, l.Start)}
		want := a.End
		if want == 0 || want > l.Total {
			want = l.Total
		}
		if l.End < want {
			r.Notes = append(r.Notes, fmt.Sprintf("[cut: lines %d-%d not shown; call read_file with start=%d]", l.End+1, want, l.End+1))
		}
		return r, nil
	},
}

// numbered prefixes each line of text with its number.
func numbered(text string, first int) string {
	var b strings.Builder
	n := first
	for line := range strings.Lines(text) {
		fmt.Fprintf(&b, "%d| %s", n, line)
		n++
	}
	return strings.TrimSuffix(b.String(), "\n")
}

var listDirTool = tool{
	decl: llm.Tool{Name: "list_dir",
		Description: "List a repository directory: subdirectories end with /, files show their size.",
		Parameters: object(nil, map[string]any{
			"path": prop("string", "repository-relative directory; omit or \".\" for the root"),
		})},
	run: func(ctx context.Context, ws *workspace.Workspace, args []byte) (result, error) {
		var a struct{ Path string }
		if err := decodeArgs(args, &a); err != nil {
			return result{}, err
		}
		entries, err := ws.List(a.Path)
		if err != nil {
			return workspaceError(ws, err), nil
		}
		var b strings.Builder
		for _, e := range entries[:min(len(entries), listEntries)] {
			switch {
			case e.Dir:
				fmt.Fprintf(&b, "%s/\n", e.Name)
			case e.Link:
				fmt.Fprintf(&b, "%s (symlink)\n", e.Name)
			default:
				fmt.Fprintf(&b, "%s (%d bytes)\n", e.Name, e.Size)
			}
		}
		r := result{Header: fmt.Sprintf("directory %s: %d entries", displayDir(a.Path), len(entries)), Data: strings.TrimSuffix(b.String(), "\n")}
		if n := len(entries) - listEntries; n > 0 {
			r.Notes = append(r.Notes, fmt.Sprintf("[cut: %d more entries not shown]", n))
		}
		return r, nil
	},
}

func displayDir(p string) string {
	if p == "" {
		return "."
	}
	return p
}

var testsForTool = tool{
	decl: llm.Tool{Name: "tests_for",
		Description: "List the test files that test a source file, by the naming conventions of its language.",
		Parameters:  object([]string{"path"}, map[string]any{"path": prop("string", "repository-relative source file")})},
	run: func(ctx context.Context, ws *workspace.Workspace, args []byte) (result, error) {
		var a struct{ Path string }
		if err := decodeArgs(args, &a); err != nil {
			return result{}, err
		}
		if err := required("path", a.Path); err != nil {
			return result{}, err
		}
		files, err := ws.TestsFor(ctx, a.Path)
		if err != nil {
			return workspaceError(ws, err), nil
		}
		if len(files) == 0 {
			return result{Header: "no test files found for " + a.Path}, nil
		}
		return result{Header: fmt.Sprintf("test files for %s", a.Path), Data: strings.Join(files, "\n")}, nil
	},
}
