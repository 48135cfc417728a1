package agent

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/llm"
	"github.com/dawnpatch/dawnpatch/internal/workspace"
)

var searchTool = tool{
	decl: llm.Tool{Name: "search",
		Description: fmt.Sprintf("Search the repository's text files line by line (case-sensitive). At most %d matches, as file:line: text.", searchMatches),
		Parameters: object([]string{"pattern"}, map[string]any{
			"pattern": prop("string", "text to find, or an RE2 regular expression when regex is true"),
			"regex":   prop("boolean", "treat pattern as a regular expression"),
			"glob":    prop("string", "only files matching this glob, e.g. **/*.go or *_test.go"),
		})},
	run: func(ctx context.Context, ws *workspace.Workspace, args []byte) (result, error) {
		var a struct {
			Pattern, Glob string
			Regex         bool
		}
		if err := decodeArgs(args, &a); err != nil {
			return result{}, err
		}
		if err := required("pattern", a.Pattern); err != nil {
			return result{}, err
		}
		res, err := ws.Search(ctx, workspace.Query{Pattern: a.Pattern, Regex: a.Regex, Glob: a.Glob, Max: searchMatches})
		if err != nil {
			return workspaceError(ws, err), nil
		}
		r := result{Header: fmt.Sprintf("%d matches for %q", len(res.Matches)+res.More, a.Pattern), Data: matchLines(res.Matches)}
		if res.More > 0 {
			r.Notes = append(r.Notes, fmt.Sprintf("[cut: %d more matches not shown; narrow the pattern or the glob]", res.More))
		}
		if res.Skipped > 0 {
			r.Notes = append(r.Notes, fmt.Sprintf("[%d files not searched: binary or over %d bytes]", res.Skipped, workspace.MaxScanFileBytes))
		}
		return r, nil
	},
}

var findSymbolTool = tool{
	decl: llm.Tool{Name: "find_symbol",
		Description: "Find where a function, method or type is defined and every line that calls or uses it (a text search per language).",
		Parameters: object([]string{"name"}, map[string]any{
			"name": prop("string", "identifier, e.g. applyDiscount, orders.applyDiscount or (*Handler).discount"),
		})},
	run: func(ctx context.Context, ws *workspace.Workspace, args []byte) (result, error) {
		var a struct{ Name string }
		if err := decodeArgs(args, &a); err != nil {
			return result{}, err
		}
		if err := required("name", a.Name); err != nil {
			return result{}, err
		}
		s, err := ws.FindSymbol(ctx, a.Name, symbolMatches)
		if err != nil {
			return workspaceError(ws, err), nil
		}
		data := "definitions:\n" + matchLines(s.Definitions) + "\ncallers and other uses:\n" + matchLines(s.Callers)
		r := result{Header: fmt.Sprintf("symbol %s: %d definitions, %d uses", s.Name, len(s.Definitions), len(s.Callers)), Data: data}
		if s.More > 0 {
			r.Notes = append(r.Notes, fmt.Sprintf("[cut: %d more lines not shown; use search with a glob]", s.More))
		}
		return r, nil
	},
}

var historyTool = tool{
	decl: llm.Tool{Name: "history",
		Description: fmt.Sprintf("Recent history of lines of a file: git blame of the range, then the last %d commits that changed it (date, subject, diff).", workspace.HistoryCommits),
		Parameters: object([]string{"path", "start", "end"}, map[string]any{
			"path":  prop("string", "repository-relative file"),
			"start": prop("integer", "first line, 1-based"),
			"end":   prop("integer", "last line, inclusive"),
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
		if a.Start < 1 || a.End < a.Start {
			return result{}, fmt.Errorf("start %d and end %d: want 1 <= start <= end", a.Start, a.End)
		}
		h, err := ws.History(ctx, a.Path, a.Start, a.End)
		if err != nil {
			return workspaceError(ws, err), nil
		}
		r := result{Header: fmt.Sprintf("history of %s lines %d-%d", h.File, h.Start, h.End), Data: "git blame:\n" + h.Blame + "\ngit log -L:\n" + h.Log}
		if h.Cut {
			r.Notes = append(r.Notes, fmt.Sprintf("[cut: the history was longer than %d bytes; ask for fewer lines]", workspace.MaxHistoryBytes))
		}
		return r, nil
	},
}

// matchLines renders matches as file:line: text.
func matchLines(ms []workspace.Match) string {
	if len(ms) == 0 {
		return "(none)"
	}
	var b strings.Builder
	for _, m := range ms {
		fmt.Fprintf(&b, "%s:%d: %s\n", m.File, m.Line, m.Text)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// workspaceError tells the model why the workspace refused or failed,
// without the checkout's absolute path or where an escaping link points.
func workspaceError(ws *workspace.Workspace, err error) result {
	if errors.Is(err, workspace.ErrOutside) {
		return errorResult("refused: the path leaves the checkout or points into .git; only files of the repository can be read")
	}
	msg := strings.ReplaceAll(err.Error(), ws.Root()+"/", "")
	return errorResult("%s", strings.ReplaceAll(msg, ws.Root(), "."))
}
