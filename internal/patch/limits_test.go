package patch

import (
	"strings"
	"testing"

	"github.com/bmatcuk/doublestar/v4"
)

func TestDefaultProtected(t *testing.T) {
	tests := []struct {
		family string
		// refused must match a default pattern; allowed must not.
		refused, allowed []string
	}{
		{family: "CI", refused: []string{
			".github/workflows/ci.yml", ".GitHub/Workflows/CI.yml", ".github/CODEOWNERS", "action.yml", "tools/release/action.yaml",
			".gitlab-ci.yml", "services/api/.gitlab-ci.yml", ".gitlab/ci/test.yml", ".circleci/config.yml",
			".buildkite/pipeline.yml", ".travis.yml", "azure-pipelines.yml", "Jenkinsfile", "ci/Jenkinsfile",
			".drone.yml", "bitbucket-pipelines.yml", ".woodpecker/test.yml", ".cirrus.yml", "appveyor.yml",
			".appveyor.yml", ".semaphore/semaphore.yml", "cloudbuild.yaml", "codecov.yml",
		}, allowed: []string{"internal/ci/run.go", "docs/github.md", "src/actions.py", "jenkins/client.go"}},
		{family: "build, task and test runners", refused: []string{
			"Makefile", "makefile", "MAKEFILE", "GNUmakefile", "sub/dir/Makefile", "build/rules.mk",
			"Taskfile.yml", "Taskfile.yaml", "justfile", "Justfile", "Rakefile", "magefile.go",
			"Dockerfile", "deploy/Dockerfile.prod", "web.dockerfile", "Containerfile", ".dockerignore",
			"docker-compose.yml", "docker-compose.override.yaml", "compose.yaml", "compose.dev.yml",
			"build.gradle.kts", "gradle/wrapper/gradle-wrapper.properties", "BUILD.bazel", "defs.bzl",
			"tox.ini", "noxfile.py", "pytest.ini", "jest.config.js", "vitest.config.ts", ".mocharc.yml",
			"tsconfig.json", "packages/web/tsconfig.build.json", "babel.config.js",
		}, allowed: []string{
			"internal/make/file.go", "docs/tox.md", "src/build_info.py", "pkg/compose/compose.go",
			"src/task.js", "internal/docker/client.go", "tests/test_tox_parse.py", "jest/setup_helpers.md",
		}},
		{family: "dependency manifests, locks and toolchain pins", refused: []string{
			"go.mod", "Go.Mod", "GO.SUM", "tools/go.mod", "go.work", "vendor/github.com/x/y/y.go",
			"package.json", "web/package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml",
			"bun.lockb", "bun.lock", ".npmrc", ".yarnrc", ".yarnrc.yml", ".yarn/releases/yarn-4.cjs", ".pnpmfile.cjs",
			"requirements.txt", "requirements-dev.txt", "requirements/base.txt", "requirements/ci/test.txt",
			"requirements/dev.in", "constraints.txt", "pyproject.toml", "poetry.lock", "Pipfile", "Pipfile.lock",
			"setup.py", "setup.cfg", "uv.lock", "pip.conf", "Gemfile.lock", "Cargo.toml", "composer.json",
			".python-version", ".nvmrc", ".node-version", ".tool-versions", "node_modules/x/index.js",
		}, allowed: []string{
			"internal/deps/mod.go", "src/package_info.py", "docs/requirements.md", "src/requirements/check.py",
			"internal/vendoring.go", "lib/cargo.go", "src/gemfile_parser.rb",
		}},
		{family: "interpreter start-up hooks", refused: []string{
			"conftest.py", "tests/conftest.py", "src/app/tests/ConfTest.py", "sitecustomize.py",
			"usercustomize.py", "lib/site-packages/evil.pth",
		}, allowed: []string{"src/conftest_helpers.py", "tests/test_conftest.py", "docs/conftest.md", "src/site.py"}},
		{family: "editor and dev-environment automation", refused: []string{
			".vscode/tasks.json", ".vscode/settings.json", ".devcontainer/devcontainer.json",
			".devcontainer/Dockerfile", ".envrc", ".env", ".pre-commit-config.yaml", ".husky/pre-commit",
			".idea/workspace.xml", "lefthook.yml",
		}, allowed: []string{"src/env.py", "internal/editor/vscode.go", "docs/pre-commit.md", "src/husky.js"}},
		{family: "repository metadata", refused: []string{
			".gitmodules", ".gitattributes", "sub/.gitattributes", ".gitignore", "web/.gitignore",
			".git/config", ".git/hooks/pre-push", "CODEOWNERS", "codeowners", "docs/CODEOWNERS",
		}, allowed: []string{"internal/git/git.go", "docs/owners.md", "src/gitignore.py"}},
		{family: "agent instructions", refused: []string{
			"AGENTS.md", "agents.md", "pkg/AGENTS.md", "CLAUDE.md", "GEMINI.md", ".cursorrules",
			".cursor/rules/go.mdc", ".windsurfrules", ".claude/settings.json",
		}, allowed: []string{"docs/agents/overview.md", "internal/agent/agent.go"}},
		{family: "ordinary source and tests", allowed: []string{
			"main.go", "internal/orders/handler.go", "internal/orders/handler_test.go", "src/app.py",
			"tests/test_app.py", "test/app.test.js", "index.js", "README.md", "docs/setup.md",
		}},
	}
	protected := DefaultProtected()
	for _, p := range protected {
		if !doublestar.ValidatePattern(p) {
			t.Errorf("bad default pattern %q", p)
		}
	}
	for _, tt := range tests {
		t.Run(tt.family, func(t *testing.T) {
			for _, name := range tt.refused {
				if ProtectedBy(protected, name) == "" {
					t.Errorf("%s is not protected", name)
				}
			}
			for _, name := range tt.allowed {
				if p := ProtectedBy(protected, name); p != "" {
					t.Errorf("%s is protected by %q", name, p)
				}
			}
		})
	}
}

func TestProtectedBy(t *testing.T) {
	tests := []struct {
		name     string
		patterns []string
		path     string
		want     string
	}{
		{name: "first match wins", patterns: []string{"**/*.yml", ".github/**"}, path: ".github/x.yml", want: "**/*.yml"},
		{name: "upper-case path", patterns: []string{"**/go.mod"}, path: "SUB/GO.MOD", want: "**/go.mod"},
		{name: "upper-case pattern", patterns: []string{"**/Makefile"}, path: "makefile", want: "**/Makefile"},
		{name: "no match", patterns: []string{"**/go.mod"}, path: "go.modx"},
		{name: "none", path: "go.mod"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ProtectedBy(tt.patterns, tt.path); got != tt.want {
				t.Errorf("ProtectedBy(%q, %q) = %q, want %q", tt.patterns, tt.path, got, tt.want)
			}
		})
	}
}

// TestValidateProtectedCase checks that Validate refuses a protected file
// whatever the case of the path it is given.
func TestValidateProtectedCase(t *testing.T) {
	root := testRoot(t)
	for _, name := range []string{"GO.MOD", ".GitHub/workflows/ci.yml", "sub/dockerfile"} {
		t.Run(name, func(t *testing.T) {
			err := Patch{Edits: []Edit{{File: name, Old: "", New: "x\n"}}}.Validate(root, Limits{})
			if err == nil || !strings.Contains(err.Error(), "is protected") {
				t.Fatalf("Validate(%s) = %v, want a protected-path error", name, err)
			}
		})
	}
}
