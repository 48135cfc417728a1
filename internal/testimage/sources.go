package testimage

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// DefaultMirror is the Debian mirror used when the machine's apt sources
// name none for the suite.
const DefaultMirror = "http://deb.debian.org/debian"

// aptSource is one deb line or deb822 stanza.
type aptSource struct {
	types, uris, suites []string
}

// readMirror returns the first http(s) URI that the apt sources under
// aptDir (sources.list, then sources.list.d/*.list and *.sources in name
// order) serve suite from, or DefaultMirror when none does. Files apt
// would not read (other extensions) are ignored.
func readMirror(aptDir, suite string) (string, error) {
	files := []string{filepath.Join(aptDir, "sources.list")}
	for _, pat := range []string{"*.list", "*.sources"} {
		m, err := filepath.Glob(filepath.Join(aptDir, "sources.list.d", pat))
		if err != nil {
			return "", fmt.Errorf("read apt sources: %w", err)
		}
		files = append(files, m...)
	}
	slices.Sort(files[1:])
	for _, f := range files {
		data, err := os.ReadFile(f)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("read apt sources: %w", err)
		}
		srcs := parseOneLine(data)
		if strings.HasSuffix(f, ".sources") {
			srcs = parseDeb822(data)
		}
		if uri := mirrorFor(srcs, suite); uri != "" {
			return uri, nil
		}
	}
	return DefaultMirror, nil
}

func mirrorFor(srcs []aptSource, suite string) string {
	for _, s := range srcs {
		if !slices.Contains(s.types, "deb") || !slices.Contains(s.suites, suite) {
			continue
		}
		for _, u := range s.uris {
			if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
				return strings.TrimSuffix(u, "/")
			}
		}
	}
	return ""
}

// parseOneLine reads the one-line format:
// "deb [options] uri suite [component...]".
func parseOneLine(data []byte) []aptSource {
	var out []aptSource
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		if i := strings.Index(line, "["); i >= 0 {
			if j := strings.Index(line[i:], "]"); j >= 0 {
				line = line[:i] + line[i+j+1:]
			}
		}
		f := strings.Fields(line)
		if len(f) < 3 {
			continue
		}
		out = append(out, aptSource{types: f[:1], uris: f[1:2], suites: f[2:3]})
	}
	return out
}

// parseDeb822 reads the deb822 format: stanzas of "Field: value" lines
// separated by blank lines. A stanza with "Enabled: no" is left out.
func parseDeb822(data []byte) []aptSource {
	var out []aptSource
	for _, stanza := range strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n\n") {
		fields := map[string]string{}
		var last string
		for _, line := range strings.Split(stanza, "\n") {
			switch {
			case strings.HasPrefix(line, "#"):
			case strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t"):
				if last != "" {
					fields[last] += " " + strings.TrimSpace(line)
				}
			default:
				k, v, ok := strings.Cut(line, ":")
				if !ok {
					continue
				}
				last = strings.ToLower(strings.TrimSpace(k))
				fields[last] = strings.TrimSpace(v)
			}
		}
		if strings.EqualFold(fields["enabled"], "no") || fields["uris"] == "" {
			continue
		}
		out = append(out, aptSource{
			types:  strings.Fields(fields["types"]),
			uris:   strings.Fields(fields["uris"]),
			suites: strings.Fields(fields["suites"]),
		})
	}
	return out
}
