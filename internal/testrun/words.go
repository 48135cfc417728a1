package testrun

import (
	"errors"
	"fmt"
	"strings"
)

// SplitWords splits a command line into words the way a POSIX shell does
// for quoting alone: blanks separate words; 'single quotes' keep everything
// literally; "double quotes" keep everything but a backslash before ", \,
// $ or `; a backslash outside quotes keeps the next character. Nothing is
// expanded: no variables, globs, pipes or redirections, which stay literal
// words. An unterminated quote or a trailing backslash is an error.
func SplitWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			if inWord {
				words, inWord = append(words, cur.String()), false
				cur.Reset()
			}
			continue
		case c == '\\':
			if i+1 == len(s) {
				return nil, errors.New("split command: trailing backslash")
			}
			i++
			cur.WriteByte(s[i])
		case c == '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return nil, fmt.Errorf("split command: unterminated ' at byte %d", i)
			}
			cur.WriteString(s[i+1 : i+1+end])
			i += end + 1
		case c == '"':
			n, err := doubleQuoted(s[i+1:], &cur)
			if err != nil {
				return nil, fmt.Errorf("split command: %w at byte %d", err, i)
			}
			i += n
		default:
			cur.WriteByte(c)
		}
		inWord = true
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

// doubleQuoted copies the inside of a double-quoted string to b and returns
// how many bytes of s it used, closing quote included.
func doubleQuoted(s string, b *strings.Builder) (int, error) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			return i + 1, nil
		case c == '\\' && i+1 < len(s) && strings.IndexByte("\"\\$`", s[i+1]) >= 0:
			i++
			b.WriteByte(s[i])
		default:
			b.WriteByte(c)
		}
	}
	return 0, errors.New(`unterminated "`)
}
