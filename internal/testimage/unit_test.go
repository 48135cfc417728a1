package testimage

import (
	"archive/tar"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestReadMirror(t *testing.T) {
	hostSources := `Types: deb
# http://snapshot.debian.org/archive/debian/20250520T000000Z
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
`
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{name: "no sources", want: DefaultMirror},
		{name: "deb822 as on this machine", files: map[string]string{"sources.list.d/debian.sources": hostSources},
			want: "http://deb.debian.org/debian"},
		{name: "one-line with options", files: map[string]string{
			"sources.list": "# local\ndeb [arch=amd64 signed-by=/k.gpg] http://mirror.example/debian/ bookworm main\n"},
			want: "http://mirror.example/debian"},
		{name: "sources.list before sources.list.d", files: map[string]string{
			"sources.list":                  "deb http://a.example/debian bookworm main\n",
			"sources.list.d/debian.sources": hostSources},
			want: "http://a.example/debian"},
		{name: "only other suites", files: map[string]string{
			"sources.list": "deb http://a.example/debian-security bookworm-security main\ndeb-src http://b.example/debian bookworm main\n"},
			want: DefaultMirror},
		{name: "disabled stanza and ignored extension", files: map[string]string{
			"sources.list.d/a.sources":       "Enabled: no\nTypes: deb\nURIs: http://off.example/debian\nSuites: bookworm\n",
			"sources.list.d/b.list.disabled": "deb http://ignored.example/debian bookworm main\n",
			"sources.list.d/c.list":          "deb cdrom:[x]/ bookworm main\ndeb https://c.example/debian bookworm main\n"},
			want: "https://c.example/debian"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, tt.files)
			got, err := readMirror(dir, "bookworm")
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("readMirror = %q, want %q", got, tt.want)
			}
		})
	}
}

type tarEntry struct {
	Name     string
	Type     byte
	Mode     int64
	Linkname string
	Uid      int
	Body     string
}

func readTar(t *testing.T, r io.Reader) []tarEntry {
	t.Helper()
	var out []tarEntry
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, tarEntry{Name: h.Name, Type: h.Typeflag, Mode: h.Mode, Linkname: h.Linkname, Uid: h.Uid, Body: string(body)})
	}
}

func TestWriteTrees(t *testing.T) {
	src := t.TempDir()
	writeFiles(t, src, map[string]string{"bin/tool": "#!/bin/sh\n", "etc/conf": "x", "dev/null": "", "skip/me": "no"})
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Chmod(filepath.Join(src, "bin/tool"), 0o755))
	must(os.Chmod(filepath.Join(src, "etc/conf"), 0o640))
	must(os.Symlink("../bin/tool", filepath.Join(src, "etc/link")))
	must(os.Link(filepath.Join(src, "bin/tool"), filepath.Join(src, "bin/hard")))
	must(os.Mkdir(filepath.Join(src, "tmp"), 0o755))
	must(os.Chmod(filepath.Join(src, "tmp"), os.ModeSticky|0o777))
	must(syscall.Mkfifo(filepath.Join(src, "etc/fifo"), 0o600))
	file := filepath.Join(t.TempDir(), "single")
	must(os.WriteFile(file, []byte("one"), 0o600))

	r := tarStream(func(tw *tar.Writer) error {
		return writeTrees(tw, []tarTree{
			{src: src, keepOwner: true, skip: func(rel string) bool { return rel == "skip" || rootfsSkip(rel) }},
			{src: file, name: "ctx/single"},
		})
	})
	got := readTar(t, r)
	uid := os.Getuid()
	want := []tarEntry{
		{Name: "bin/", Type: tar.TypeDir, Mode: 0o755, Uid: uid},
		{Name: "bin/hard", Type: tar.TypeReg, Mode: 0o755, Uid: uid, Body: "#!/bin/sh\n"},
		{Name: "bin/tool", Type: tar.TypeLink, Mode: 0o755, Linkname: "bin/hard", Uid: uid},
		{Name: "dev/", Type: tar.TypeDir, Mode: 0o755, Uid: uid},
		{Name: "etc/", Type: tar.TypeDir, Mode: 0o755, Uid: uid},
		{Name: "etc/conf", Type: tar.TypeReg, Mode: 0o640, Uid: uid, Body: "x"},
		{Name: "etc/fifo", Type: tar.TypeFifo, Mode: 0o600, Uid: uid},
		{Name: "etc/link", Type: tar.TypeSymlink, Mode: 0o777, Linkname: "../bin/tool", Uid: uid},
		{Name: "tmp/", Type: tar.TypeDir, Mode: 0o1777, Uid: uid},
		{Name: "ctx/single", Type: tar.TypeReg, Mode: 0o600, Body: "one"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("archive (-want +got):\n%s", diff)
	}
}

func TestTarStream_error(t *testing.T) {
	r := tarStream(func(tw *tar.Writer) error {
		return writeTrees(tw, []tarTree{{src: filepath.Join(t.TempDir(), "missing")}})
	})
	if _, err := io.ReadAll(r); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("reading the stream: got %v, want the missing file's error", err)
	}
}

func TestLockFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lock")
	unlock, err := lockFile(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 3*lockPoll)
	defer cancel()
	if _, err := lockFile(ctx, path); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second lock while held: got %v, want a deadline error", err)
	}
	done := make(chan error, 1)
	go func() {
		unlock2, err := lockFile(t.Context(), path)
		if err == nil {
			unlock2()
		}
		done <- err
	}()
	time.Sleep(lockPoll / 2)
	unlock()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("lock after release: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("lock not taken after release")
	}
}

func TestRecipeTag(t *testing.T) {
	tagRE := regexp.MustCompile(`^dawnpatch-test/go:[0-9a-f]{12}$`)
	base := goRecipe("/usr/local/go", "go1.26.8")
	tag := base.tag("dawnpatch-test/base:000000000000")
	if !tagRE.MatchString(tag) {
		t.Fatalf("tag %q does not match %s", tag, tagRE)
	}
	if again := goRecipe("/usr/local/go", "go1.26.8").tag("dawnpatch-test/base:000000000000"); again != tag {
		t.Errorf("same recipe, other tag: %s, %s", tag, again)
	}
	others := map[string]string{
		"go version": goRecipe("/usr/local/go", "go1.26.9").tag("dawnpatch-test/base:000000000000"),
		"parent":     base.tag("dawnpatch-test/base:111111111111"),
		"mirror":     slimRecipe("http://a.example/debian").tag(""),
		"CA bundle":  baseRecipe("/ca", "bb").tag("x"),
	}
	seen := map[string]string{tag: "original"}
	seen[slimRecipe("http://b.example/debian").tag("")] = "mirror b"
	seen[baseRecipe("/ca", "aa").tag("x")] = "CA a"
	for what, other := range others {
		if prev, ok := seen[other]; ok {
			t.Errorf("changing the %s kept the tag of %s: %s", what, prev, other)
		}
		seen[other] = what
	}
}

func TestNodeRecipe(t *testing.T) {
	n := &nodeInstall{bin: "/usr/bin/node", prefix: "/usr", modules: []string{"npm", "corepack"},
		links:   map[string]string{"npm": "../lib/node_modules/npm/bin/npm-cli.js", "npx": "../lib/node_modules/npm/bin/npx-cli.js"},
		version: "node v20.20.2, npm 11.19.1, corepack 0.34.6"}
	r := nodeRecipe(n)
	want := "COPY node /usr/bin/node\n" +
		"COPY node_modules/ /usr/lib/node_modules/\n" +
		"RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/bin/npm \\\n" +
		" && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/bin/npx \\\n" +
		" && node --version && npm --version\n"
	if diff := cmp.Diff(want, r.dockerfile); diff != "" {
		t.Errorf("dockerfile (-want +got):\n%s", diff)
	}
	if got, want := r.network, "none"; got != want {
		t.Errorf("network = %q, want %q", got, want)
	}
	var names []string
	for _, f := range r.files {
		names = append(names, f.name)
	}
	if diff := cmp.Diff([]string{"node", "node_modules/npm", "node_modules/corepack"}, names); diff != "" {
		t.Errorf("context files (-want +got):\n%s", diff)
	}
	deb := nodeRecipe(nil)
	if !strings.Contains(deb.dockerfile, "--no-install-recommends nodejs npm") || deb.network != "host" {
		t.Errorf("without a node on the machine, the recipe should install Debian's nodejs and npm; got %q on %q", deb.dockerfile, deb.network)
	}
}

func TestFindNode(t *testing.T) {
	prefix := t.TempDir()
	writeFiles(t, prefix, map[string]string{
		"bin/node":                            "#!/bin/sh\necho v20.1.0\n",
		"lib/node_modules/npm/package.json":   `{"name": "npm", "version": "10.2.0"}`,
		"lib/node_modules/npm/bin/npm-cli.js": "",
	})
	if err := os.Chmod(filepath.Join(prefix, "bin/node"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../lib/node_modules/npm/bin/npm-cli.js", filepath.Join(prefix, "bin/npm")); err != nil {
		t.Fatal(err)
	}
	n, err := findNode(t.Context(), filepath.Join(prefix, "bin/node"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := n.version, "node v20.1.0, npm 10.2.0"; got != want {
		t.Errorf("version = %q, want %q", got, want)
	}
	if diff := cmp.Diff(map[string]string{"npm": "../lib/node_modules/npm/bin/npm-cli.js"}, n.links); diff != "" {
		t.Errorf("links (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"npm"}, n.modules); diff != "" {
		t.Errorf("modules (-want +got):\n%s", diff)
	}
	if n, err := findNode(t.Context(), filepath.Join(prefix, "bin/none")); n != nil || err != nil {
		t.Errorf("findNode(missing) = %v, %v; want nil, nil", n, err)
	}
}

func TestSlimRootfs(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"usr/share/doc/apt/copyright":         "c",
		"usr/share/doc/apt/changelog.gz":      "x",
		"usr/share/doc/apt/examples/a.conf":   "x",
		"usr/share/man/man1/ls.1.gz":          "x",
		"usr/share/locale/de/LC_MESSAGES/a":   "x",
		"var/lib/apt/lists/deb_Packages":      "x",
		"var/cache/apt/archives/a.deb":        "x",
		"var/log/apt/history.log":             "x",
		"var/cache/debconf/config.dat-old":    "x",
		"var/cache/debconf/config.dat":        "keep",
		"usr/bin/true":                        "keep",
		"usr/share/ca-certificates/mozilla/a": "keep",
	})
	if err := seedRootfs(dir); err != nil {
		t.Fatal(err)
	}
	if err := slimRootfs(dir); err != nil {
		t.Fatal(err)
	}
	var got []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			got = append(got, rel)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"etc/apt/apt.conf.d/docker-clean", "etc/apt/apt.conf.d/docker-no-languages",
		"etc/dpkg/dpkg.cfg.d/docker-apt-speedup", "etc/dpkg/dpkg.cfg.d/docker-slim", "usr/bin/true",
		"usr/share/ca-certificates/mozilla/a", "usr/share/doc/apt/copyright",
		"var/cache/debconf/config.dat",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("files left (-want +got):\n%s", diff)
	}
	if fi, err := os.Stat(filepath.Join(dir, "var/lib/apt/lists/partial")); err != nil || !fi.IsDir() {
		t.Errorf("var/lib/apt/lists/partial should exist for apt: %v", err)
	}
}

func TestUnescapeMount(t *testing.T) {
	for in, want := range map[string]string{`/a\040b/c`: "/a b/c", `/plain`: "/plain", `/x\04`: `/x\04`, `/t\011`: "/t\t"} {
		if got := unescapeMount(in); got != want {
			t.Errorf("unescapeMount(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReadStream(t *testing.T) {
	var log strings.Builder
	ok := `{"stream":"Step 1/2 : FROM x\n"}{"status":"sha256:abc"}`
	if err := readStream(strings.NewReader(ok), &log); err != nil {
		t.Fatalf("readStream: %v", err)
	}
	if got, want := log.String(), "Step 1/2 : FROM x\nsha256:abc\n"; got != want {
		t.Errorf("log = %q, want %q", got, want)
	}
	bad := `{"stream":"Step 2/2 : RUN false\n"}{"errorDetail":{"code":1,"message":"returned a non-zero code: 1"},"error":"returned a non-zero code: 1"}`
	if err := readStream(strings.NewReader(bad), io.Discard); err == nil || err.Error() != "returned a non-zero code: 1" {
		t.Errorf("readStream(failed build) = %v, want the engine's message", err)
	}
}

func TestParseKind(t *testing.T) {
	for _, k := range Kinds() {
		if got, err := ParseKind(string(k)); err != nil || got != k {
			t.Errorf("ParseKind(%q) = %q, %v", k, got, err)
		}
	}
	if _, err := ParseKind("golang"); err == nil {
		t.Error("ParseKind(golang): want an error")
	}
}

func TestTailWriter(t *testing.T) {
	tw := &tailWriter{max: 5}
	io.WriteString(tw, "abc")
	io.WriteString(tw, "defgh")
	if got, want := tw.String(), "\noutput (tail):\ndefgh"; got != want {
		t.Errorf("tail = %q, want %q", got, want)
	}
	if got := (&tailWriter{max: 5}).String(); got != "" {
		t.Errorf("empty tail = %q, want empty", got)
	}
}
