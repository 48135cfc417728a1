// Package lang names the programming languages dawnpatch knows: the ones
// whose stack traces it reads and the ones whose tests it runs. Every
// package that cares which language code is in (intake, the guards, the
// test runners, the checkout's imports) uses this one type.
package lang

import (
	"path"
	"strings"
)

// Language is a programming language, as the Incident JSON and the
// summary name it.
type Language string

// The languages. Tests run for Go, Python and JavaScript (with TypeScript);
// the others are read in traces only.
const (
	Go         Language = "go"
	Python     Language = "python"
	JavaScript Language = "javascript"
	Java       Language = "java"
	Ruby       Language = "ruby"
	PHP        Language = "php"
	CSharp     Language = "csharp"
	Elixir     Language = "elixir"
)

// platforms maps Sentry platforms and SDK name parts to languages.
var platforms = map[string]Language{
	"go": Go, "python": Python, "javascript": JavaScript, "node": JavaScript,
	"java": Java, "ruby": Ruby, "php": PHP, "csharp": CSharp, "dotnet": CSharp,
	"elixir": Elixir,
}

// FromPlatform names the language of a Sentry platform ("go", "node"),
// falling back to the SDK's name ("sentry.go", "sentry.javascript.node");
// "" when neither tells.
func FromPlatform(platform, sdkName string) Language {
	if l, ok := platforms[strings.ToLower(platform)]; ok {
		return l
	}
	parts := strings.Split(strings.ToLower(sdkName), ".")
	if len(parts) >= 2 && parts[0] == "sentry" {
		return platforms[parts[1]]
	}
	return ""
}

// extensions maps source file extensions to languages.
var extensions = map[string]Language{
	".go": Go, ".py": Python,
	".js": JavaScript, ".mjs": JavaScript, ".cjs": JavaScript, ".jsx": JavaScript,
	".ts": JavaScript, ".mts": JavaScript, ".cts": JavaScript, ".tsx": JavaScript,
	".java": Java, ".kt": Java, ".rb": Ruby, ".php": PHP, ".cs": CSharp,
	".ex": Elixir, ".exs": Elixir,
}

// FromPath names the language of a source file by its extension
// (TypeScript counts as JavaScript); "" for an unknown one.
func FromPath(name string) Language {
	return extensions[strings.ToLower(path.Ext(name))]
}

// Tested reports whether dawnpatch runs this language's tests, and so can
// prove a fix in it.
func (l Language) Tested() bool {
	return l == Go || l == Python || l == JavaScript
}

// String is the language's name.
func (l Language) String() string { return string(l) }
