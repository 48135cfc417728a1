package patch

import (
	"fmt"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// Default caps applied when a Limits field is zero.
const (
	DefaultMaxFiles        = 10
	DefaultMaxChangedLines = 400
)

// Limits bounds what a patch may touch. Patterns are doublestar/v4 globs
// over repository-relative slash paths.
type Limits struct {
	// MaxFiles caps the number of distinct files edited. Zero means
	// DefaultMaxFiles; negative means no cap.
	MaxFiles int
	// MaxChangedLines caps the removed plus added lines over all edits.
	// Zero means DefaultMaxChangedLines; negative means no cap.
	MaxChangedLines int
	// Protected paths may not be edited. Nil means DefaultProtected(); an
	// empty non-nil slice protects nothing.
	Protected []string
	// Allowed, when not empty, lists the only paths that may be edited.
	Allowed []string
}

// DefaultProtected returns the paths no patch may touch: files that run
// code or change what runs (CI, build, task and test runners, interpreter
// start-up hooks, editor and dev-environment automation), dependency
// manifests, locks and toolchain pins, repository metadata, and
// instructions for agents. Match them with ProtectedBy, which ignores case.
func DefaultProtected() []string {
	var out []string
	for _, family := range defaultProtected {
		out = append(out, family...)
	}
	return out
}

// defaultProtected is DefaultProtected by family. Patterns are doublestar
// globs over repository-relative paths, matched case-insensitively.
var defaultProtected = [][]string{
	// CI: every system's pipeline definitions, and GitHub Actions' own.
	{
		".github/**", "**/action.yml", "**/action.yaml",
		"**/.gitlab-ci.yml", ".gitlab/**", ".circleci/**", ".buildkite/**", ".travis.yml",
		"**/azure-pipelines.yml", "**/azure-pipelines.yaml", ".azure-pipelines/**",
		"**/Jenkinsfile", "**/*.jenkinsfile", ".drone.yml", ".drone.yaml", "bitbucket-pipelines.yml",
		".woodpecker/**", ".woodpecker.yml", ".woodpecker.yaml", ".cirrus.yml", ".cirrus.star",
		"appveyor.yml", ".appveyor.yml", ".semaphore/**", ".teamcity/**",
		"buildspec.yml", "cloudbuild.yaml", "cloudbuild.yml", "codecov.yml", ".codecov.yml",
	},
	// Build, task and test runners: what `make`, `task`, `just`, Docker,
	// Gradle, Bazel, tox, nox, pytest and the JavaScript test runners run.
	{
		"**/Makefile", "**/GNUmakefile", "**/*.mk", "**/Taskfile.yml", "**/Taskfile.yaml",
		"**/Taskfile.dist.yml", "**/Taskfile.dist.yaml", "**/justfile", "**/.justfile", "**/*.just",
		"**/Rakefile", "**/magefile.go", "**/magefiles/**", "**/Procfile",
		"**/Dockerfile*", "**/*.dockerfile", "**/Containerfile", "**/Containerfile.*", "**/.dockerignore",
		"**/docker-compose*.yml", "**/docker-compose*.yaml", "**/compose.yml", "**/compose.yaml",
		"**/compose.*.yml", "**/compose.*.yaml",
		"**/build.gradle", "**/build.gradle.kts", "**/settings.gradle", "**/settings.gradle.kts",
		"**/gradlew", "**/gradlew.bat", "**/gradle/wrapper/**", "**/mvnw", "**/mvnw.cmd", "**/.mvn/**",
		"**/BUILD", "**/BUILD.bazel", "**/WORKSPACE", "**/WORKSPACE.bazel", "**/MODULE.bazel",
		"**/*.bzl", "**/.bazelrc", "**/.bazelversion",
		"**/tox.ini", "**/noxfile.py", "**/pytest.ini", "**/.coveragerc",
		"**/jest.config.*", "**/vitest.config.*", "**/vitest.workspace.*", "**/.mocharc*",
		"**/karma.conf.*", "**/playwright.config.*", "**/cypress.config.*", "**/.nycrc*",
		"**/babel.config.*", "**/.babelrc*", "**/tsconfig*.json",
	},
	// Dependency manifests, locks, registries and vendored code, and the
	// pins that choose a toolchain.
	{
		"**/go.mod", "**/go.sum", "**/go.work", "**/go.work.sum", "**/vendor/**",
		"**/package.json", "**/package-lock.json", "**/npm-shrinkwrap.json", "**/yarn.lock",
		"**/pnpm-lock.yaml", "**/pnpm-workspace.yaml", "**/bun.lockb", "**/bun.lock",
		"**/deno.json", "**/deno.jsonc", "**/deno.lock", "**/node_modules/**",
		"**/.npmrc", "**/.yarnrc", "**/.yarnrc.yml", "**/.yarn/**", "**/.pnpmfile.cjs", "**/.pnp.cjs", "**/.pnp.loader.mjs",
		"**/requirements*.txt", "**/requirements*.in", "**/requirements/**/*.txt", "**/requirements/**/*.in", "**/constraints*.txt", "**/pyproject.toml", "**/poetry.lock",
		"**/Pipfile", "**/Pipfile.lock", "**/setup.py", "**/setup.cfg", "**/uv.lock", "**/pdm.lock",
		"**/pip.conf", "**/pip.ini", "**/environment.yml", "**/environment.yaml", "**/conda-lock.yml",
		"**/Gemfile", "**/Gemfile.lock", "**/*.gemspec", "**/Cargo.toml", "**/Cargo.lock",
		"**/composer.json", "**/composer.lock", "**/pom.xml",
		"**/renovate.json", "**/renovate.json5", "**/.renovaterc*",
		"**/.python-version", "**/.nvmrc", "**/.node-version", "**/.tool-versions", "**/.ruby-version",
		"**/.go-version", "**/runtime.txt", "**/mise.toml", "**/.mise.toml", "**/rust-toolchain", "**/rust-toolchain.toml",
	},
	// Interpreter start-up hooks: code Python and pytest import before
	// any test runs.
	{"**/conftest.py", "**/sitecustomize.py", "**/usercustomize.py", "**/*.pth"},
	// Editor and dev-environment automation: tasks, hooks and containers
	// that run on open, on cd or on commit, and the environment files read
	// at start.
	{
		"**/.vscode/**", "**/.idea/**", "**/.devcontainer/**", "**/.devcontainer.json", "**/.envrc",
		"**/.env", "**/.env.*", "**/.pre-commit-config.yaml", "**/.pre-commit-hooks.yaml", "**/.husky/**",
		"**/lefthook.yml", "**/lefthook.yaml", "**/.lefthook.yml", "**/.githooks/**", "**/.gitpod.yml",
	},
	// Repository metadata: git's own configuration files (.gitignore
	// included: it can keep a file the fix needs out of the diff) and
	// ownership.
	{"**/.git/**", "**/.git*", "**/CODEOWNERS", "**/OWNERS"},
	// Instructions for agents, which a later agent would follow.
	{
		"**/AGENTS.md", "**/AGENT.md", "**/CLAUDE.md", "**/GEMINI.md", "**/.cursorrules", "**/.cursor/**",
		"**/.windsurfrules", "**/.clinerules*", "**/.claude/**", "**/.aider*", "**/.continue/**",
	},
}

// ProtectedBy returns the first pattern of patterns that matches name,
// ignoring case, or "". Case is ignored because a case-insensitive
// checkout (macOS, Windows) reads Go.Mod as go.mod, and because CI and
// tools often accept either spelling (makefile, codeowners).
func ProtectedBy(patterns []string, name string) string {
	lower := strings.ToLower(name)
	for _, p := range patterns {
		if doublestar.MatchUnvalidated(strings.ToLower(p), lower) {
			return p
		}
	}
	return ""
}

// resolved fills in the documented defaults and checks the patterns.
func (l Limits) resolved() (Limits, error) {
	if l.MaxFiles == 0 {
		l.MaxFiles = DefaultMaxFiles
	}
	if l.MaxChangedLines == 0 {
		l.MaxChangedLines = DefaultMaxChangedLines
	}
	if l.Protected == nil {
		l.Protected = DefaultProtected()
	}
	for _, p := range append(append([]string{}, l.Protected...), l.Allowed...) {
		if !doublestar.ValidatePattern(p) {
			return l, fmt.Errorf("bad path pattern %q", p)
		}
	}
	return l, nil
}

// allowedBy returns the first pattern of patterns that matches name
// exactly (case counts: an allowed path is a promise about one spelling),
// or "".
func allowedBy(patterns []string, name string) string {
	for _, p := range patterns {
		if doublestar.MatchUnvalidated(p, name) {
			return p
		}
	}
	return ""
}
