package workspace

import (
	"context"
	"fmt"
	"path"
	"regexp"
	"strings"
)

// identifier is what FindSymbol accepts once qualifiers are stripped.
var identifier = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)

// definitionPatterns are, per file extension, the shapes of a declaration
// of NAME, matched line by line (a text search, not a parser).
var definitionPatterns = map[string][]string{
	".go": {`^\s*func\s+(\([^)]*\)\s*)?NAME\s*[\[(]`, `^\s*type\s+NAME\b`, `^\s*(var|const)\s+NAME\b`},
	".py": {`^\s*(async\s+)?def\s+NAME\s*\(`, `^\s*class\s+NAME\b`, `^NAME\s*=`},
	".js": {`\bfunction\s*\*?\s*NAME\s*[(<]`, `\bclass\s+NAME\b`, `\b(const|let|var)\s+NAME\s*=`,
		`^\s*(static\s+)?(async\s+)?NAME\s*\([^)]*\)\s*\{`},
	".rb":   {`^\s*def\s+(self\.)?NAME\b`, `^\s*(class|module)\s+NAME\b`},
	".java": {`\b(class|interface|enum|record)\s+NAME\b`, `^\s*((public|private|protected|internal|static|final|override|async|virtual|abstract|synchronized)\s+)+[\w<>\[\],.?]+\s+NAME\s*\(`},
	".kt":   {`\b(class|interface|object)\s+NAME\b`, `\bfun\s+(<[^>]*>\s*)?([\w.]+\.)?NAME\s*\(`},
	".php":  {`\bfunction\s+NAME\s*\(`, `\b(class|interface|trait)\s+NAME\b`},
}

// extAlias maps extensions to the language whose patterns they share.
var extAlias = map[string]string{
	".jsx": ".js", ".ts": ".js", ".tsx": ".js", ".mjs": ".js", ".cjs": ".js",
	".cs": ".java", ".scala": ".java",
}

// Symbols are the definitions of a name and the lines that use it.
type Symbols struct {
	Name        string
	Definitions []Match
	// Callers are lines that call or mention Name outside a definition.
	Callers []Match
	// More counts definitions and callers found beyond the caps.
	More int
}

// FindSymbol finds where name is defined and used in the checkout's source
// files, by text search with per-language patterns. A qualified name such
// as "(*Handler).discount", "orders.applyDiscount" or "Foo::bar" is looked
// up by its last identifier. At most max definitions and max callers are
// returned (zero means 20).
func (w *Workspace) FindSymbol(ctx context.Context, name string, max int) (*Symbols, error) {
	id := symbolName(name)
	if !identifier.MatchString(id) {
		return nil, fmt.Errorf("find symbol %q: want an identifier such as Name, pkg.Name or (*Type).Method", name)
	}
	if max <= 0 {
		max = 20
	}
	defs := compileDefinitions(id)
	use := regexp.MustCompile(`(^|[^A-Za-z0-9_$])` + regexp.QuoteMeta(id) + `($|[^A-Za-z0-9_$])`)
	s := &Symbols{Name: id}
	err := w.walkFiles(ctx, func(rel string) error {
		ext := sourceExt(rel)
		if defs[ext] == nil {
			return nil
		}
		if text, ok := w.scanText(rel); ok {
			s.scan(rel, text, defs[ext], use, max)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find symbol %s: %w", id, err)
	}
	return s, nil
}

// scan records the definitions and uses of s.Name in one file.
func (s *Symbols) scan(rel, text string, def, use *regexp.Regexp, max int) {
	for i, line := range splitLines(text) {
		if !strings.Contains(line, s.Name) || !use.MatchString(line) {
			continue
		}
		list := &s.Callers
		if def.MatchString(line) {
			list = &s.Definitions
		}
		if len(*list) >= max {
			s.More++
			continue
		}
		*list = append(*list, Match{File: rel, Line: i + 1, Text: shortLine(line)})
	}
}

// symbolName strips qualifiers and Go closure suffixes from a name.
func symbolName(name string) string {
	name = closureSuffix.ReplaceAllString(strings.TrimSpace(name), "")
	name = strings.TrimRight(name, "()")
	for _, sep := range []string{"::", ".", "#", "/"} {
		if i := strings.LastIndex(name, sep); i >= 0 {
			name = name[i+len(sep):]
		}
	}
	return name
}

// compileDefinitions builds the definition regexp of id per extension.
func compileDefinitions(id string) map[string]*regexp.Regexp {
	out := map[string]*regexp.Regexp{}
	for ext, pats := range definitionPatterns {
		alt := strings.ReplaceAll(strings.Join(pats, "|"), "NAME", regexp.QuoteMeta(id))
		out[ext] = regexp.MustCompile(alt)
	}
	for alias, ext := range extAlias {
		out[alias] = out[ext]
	}
	return out
}

// sourceExt returns the extension of rel, lower-cased.
func sourceExt(rel string) string { return strings.ToLower(path.Ext(rel)) }
