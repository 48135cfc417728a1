package judge

import (
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/lang"
)

// code returns text with the contents of single-line string literals
// blanked (the quotes stay) and a trailing line comment removed, so the
// rules do not match words inside strings and comments. It is a line-level
// approximation: multi-line strings and block comments are not tracked.
func code(text string, lang lang.Language) string {
	b := []byte(text)
	var quote byte
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case quote != 0 && c == '\\' && i+1 < len(b):
			b[i], b[i+1] = ' ', ' '
			i++
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			b[i] = ' '
		case c == '"' || c == '\'' || c == '`':
			quote = c
		case isLineComment(b, i, lang):
			return string(b[:i])
		}
	}
	return string(b)
}

// isLineComment reports whether a line comment of lang starts at b[i].
func isLineComment(b []byte, i int, lang lang.Language) bool {
	slashes := i+1 < len(b) && b[i] == '/' && b[i+1] == '/'
	hash := b[i] == '#'
	switch lang {
	case "python", "ruby":
		return hash
	case "php":
		return slashes || hash
	default:
		return slashes
	}
}

// isCommentLine reports whether a trimmed line is only a comment, or part
// of a block comment or doc block.
func isCommentLine(trimmed string) bool {
	for _, p := range []string{"//", "#", "/*", "*"} {
		if strings.HasPrefix(trimmed, p) {
			return true
		}
	}
	return false
}

// blank reports whether a line holds no code.
func blank(text string, lang lang.Language) bool {
	t := strings.TrimSpace(code(text, lang))
	return t == "" || isCommentLine(t)
}

// blockEnd returns the index of the line that closes the brace block
// opened at or after column col of s[i], and whether it closes within s.
func blockEnd(s side, i, col int, lang lang.Language) (int, bool) {
	depth, opened := 0, false
	for j := i; j < len(s); j++ {
		masked := code(s[j].text, lang)
		if j == i {
			masked = masked[min(col, len(masked)):]
		}
		for _, c := range masked {
			switch c {
			case '{':
				depth++
				opened = true
			case '}':
				depth--
			}
			if opened && depth == 0 {
				return j, true
			}
		}
	}
	return 0, false
}

// enclosingEnd returns the index of the line that closes the block
// enclosing column col of s[i], and whether it closes within s. It also
// returns the code from col up to that closing brace.
func enclosingEnd(s side, i, col int, lang lang.Language) (int, string, bool) {
	depth := 0
	var body strings.Builder
	for j := i; j < len(s); j++ {
		masked := code(s[j].text, lang)
		if j == i {
			masked = masked[min(col, len(masked)):]
		}
		for _, c := range masked {
			switch c {
			case '{':
				depth++
			case '}':
				depth--
			}
			if depth < 0 {
				return j, body.String(), true
			}
			body.WriteRune(c)
		}
		body.WriteByte('\n')
	}
	return 0, "", false
}

// indentOf returns the width of the leading white space of text, a tab
// counting as one.
func indentOf(text string) int {
	return len(text) - len(strings.TrimLeft(text, " \t"))
}

// indentEnd returns the index of the last line of the indented body that
// follows s[i] (Python and Ruby), and whether the body is known to be
// whole: it ends before s does, or s reaches the end of the file.
func indentEnd(s side, i int, lang lang.Language, atEOF bool) (int, bool) {
	base := indentOf(s[i].text)
	last := i
	for j := i + 1; j < len(s); j++ {
		if blank(s[j].text, lang) {
			continue
		}
		if indentOf(s[j].text) <= base {
			if lang == "ruby" && strings.HasPrefix(strings.TrimSpace(s[j].text), "end") {
				return j, true
			}
			return last, true
		}
		last = j
	}
	return last, atEOF
}

// normalize collapses white space, for comparing constructs across sides.
func normalize(lines ...string) string {
	return strings.Join(strings.Fields(strings.Join(lines, " ")), " ")
}

// closingBrace returns the index of the brace that closes the block text
// opens with, or -1.
func closingBrace(text string) int {
	depth := 0
	for k, c := range text {
		switch c {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return k
			}
		}
	}
	return -1
}
