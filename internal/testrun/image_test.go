package testrun

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// repoWith writes files into a temporary repository.
func repoWith(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestDeriveImage(t *testing.T) {
	tests := []struct {
		name  string
		lang  Language
		files map[string]string
		want  string
	}{
		{"go line", Go, map[string]string{"go.mod": "module x\n\ngo 1.22.3\n"}, "golang:1.22.3"},
		{"go line without patch", Go, map[string]string{"go.mod": "module x\n\ngo 1.21\n"}, "golang:1.21"},
		{"toolchain wins", Go, map[string]string{"go.mod": "module x\n\ngo 1.21\n\ntoolchain go1.22.5\n"}, "golang:1.22.5"},
		{"go from .tool-versions", Go, map[string]string{"go.mod": "module x\n", ".tool-versions": "golang 1.23.1\nnodejs 20\n"}, "golang:1.23.1"},
		{"go default", Go, map[string]string{"go.mod": "module x\n"}, defaultGo},
		{".python-version", Python, map[string]string{".python-version": "3.11.4\n"}, "python:3.11.4"},
		{"pyenv alias is not an image", Python, map[string]string{".python-version": "myenv\n"}, defaultPython},
		{"requires-python lower bound", Python, map[string]string{"pyproject.toml": "[project]\nrequires-python = \">=3.9\"\n"}, "python:3.14"},
		{"requires-python upper bound", Python, map[string]string{"pyproject.toml": "[project]\nrequires-python = \">=3.8, <3.12\"\n"}, "python:3.11"},
		{"requires-python compatible", Python, map[string]string{"pyproject.toml": "requires-python = \"~=3.10\"\n"}, "python:3.14"},
		{"setup.py python_requires", Python, map[string]string{"setup.py": "setup(python_requires='>=3.7,<3.10')\n"}, "python:3.9"},
		{"python default", Python, map[string]string{"setup.cfg": "[metadata]\n"}, defaultPython},
		{".nvmrc major", JavaScript, map[string]string{".nvmrc": "20\n", "package.json": "{}"}, "node:20"},
		{".nvmrc version", JavaScript, map[string]string{".nvmrc": "v18.19.1\n"}, "node:18.19.1"},
		{".nvmrc lts name", JavaScript, map[string]string{".nvmrc": "lts/iron\n"}, "node:20"},
		{".node-version", JavaScript, map[string]string{".node-version": "22.1.0"}, "node:22.1.0"},
		{"engines range", JavaScript, map[string]string{"package.json": `{"engines":{"node":">=18 <21"}}`}, "node:20"},
		{"engines caret", JavaScript, map[string]string{"package.json": `{"engines":{"node":"^18.17.0 || ^20.3.0"}}`}, "node:20"},
		{"engines with a space", JavaScript, map[string]string{"package.json": `{"engines":{"node":">= 14"}}`}, "node:24"},
		{"node default", JavaScript, map[string]string{"package.json": `{"name":"x"}`}, defaultNode},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DeriveImage(repoWith(t, tt.files), tt.lang)
			if got.Name != tt.want || got.Reason == "" {
				t.Errorf("DeriveImage = %+v, want %s with a reason", got, tt.want)
			}
		})
	}
}

func TestDetectSetup(t *testing.T) {
	const root = "/src"
	pip := []string{"/src/.dawnpatch/venv/bin/python", "-m", "pip", "install", "--disable-pip-version-check", "--no-input"}
	venv := []string{"python3", "-m", "venv", "--system-site-packages", "/src/.dawnpatch/venv"}
	tests := []struct {
		name  string
		lang  Language
		files map[string]string
		want  [][]string
	}{
		{"go without requirements", Go, map[string]string{"go.mod": "module x\n\ngo 1.22\n"}, nil},
		{"go with requirements", Go, map[string]string{"go.mod": "module x\n\nrequire golang.org/x/text v0.1.0\n"}, [][]string{{"go", "mod", "download"}}},
		{"npm lockfile", JavaScript, map[string]string{"package.json": `{"devDependencies":{"mocha":"^10"}}`, "package-lock.json": "{}"}, [][]string{{"npm", "ci", "--no-audit", "--no-fund"}}},
		{"pnpm", JavaScript, map[string]string{"package.json": `{"dependencies":{"a":"1"}}`, "pnpm-lock.yaml": ""}, [][]string{{"corepack", "pnpm", "install", "--frozen-lockfile"}}},
		{"yarn berry", JavaScript, map[string]string{"package.json": `{"dependencies":{"a":"1"}}`, "yarn.lock": "__metadata:\n  version: 6\n"}, [][]string{{"corepack", "yarn", "install", "--immutable"}}},
		{"yarn classic", JavaScript, map[string]string{"package.json": `{"dependencies":{"a":"1"}}`, "yarn.lock": "# yarn lockfile v1\n"}, [][]string{{"corepack", "yarn", "install", "--frozen-lockfile"}}},
		{"no lockfile", JavaScript, map[string]string{"package.json": `{"devDependencies":{"jest":"29"}}`}, [][]string{{"npm", "install", "--no-audit", "--no-fund"}}},
		{"no dependencies", JavaScript, map[string]string{"package.json": `{"scripts":{"test":"node --test"}}`}, nil},
		{"python without anything to install", Python, map[string]string{"pyproject.toml": "[project]\nname = \"x\"\n"}, nil},
		{"requirements", Python, map[string]string{"requirements.txt": "requests\n", "requirements-dev.txt": "pytest\n"},
			[][]string{venv, append(pip, "-r", "requirements.txt"), append(pip, "-r", "requirements-dev.txt")}},
		{"package with test extras", Python, map[string]string{"pyproject.toml": "[project]\nname = \"x\"\ndependencies = [\"attrs\"]\n\n[project.optional-dependencies]\ntest = [\"pytest\"]\ndocs = [\"sphinx\"]\n"},
			[][]string{venv, append(pip, "-e", ".[test]")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got [][]string
			for _, s := range DetectSetup(repoWith(t, tt.files), root, tt.lang) {
				got = append(got, s.Argv)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("DetectSetup (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHostPaths(t *testing.T) {
	h := ContainerPaths("abc", map[string]string{"/home/runner/work/_temp": "/github/runner_temp", "/home/runner/work/r/r": "/github/workspace"})
	for _, tt := range []struct{ in, want string }{
		{"/github/runner_temp/dawnpatch-1/scratch", "/home/runner/work/_temp/dawnpatch-1/scratch"},
		{"/github/runner_temp", "/home/runner/work/_temp"},
		{"/github/workspace/x", "/home/runner/work/r/r/x"},
		{"/github/runner_temp_other", ""},
		{"/tmp/x", ""},
	} {
		got, err := h.Host(tt.in)
		if got != tt.want || (err != nil) != (tt.want == "") {
			t.Errorf("Host(%s) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	if got, _ := (HostPaths{}).Host("/tmp/x/../y"); got != "/tmp/y" {
		t.Errorf("outside a container Host = %q, want the path itself", got)
	}
}

func TestOwnContainer(t *testing.T) {
	const id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	in := "612 588 0:64 / / rw,relatime master:294 - overlay overlay rw\n" +
		"629 612 254:1 /var/lib/docker/containers/" + id + "/hostname /etc/hostname rw,relatime - ext4 /dev/vda1 rw\n"
	if got := OwnContainer(strings.NewReader(in)); got != id {
		t.Errorf("OwnContainer = %q, want %q", got, id)
	}
	if got := OwnContainer(strings.NewReader("22 1 0:21 / /proc rw - proc proc rw\n")); got != "" {
		t.Errorf("OwnContainer outside a container = %q", got)
	}
}
