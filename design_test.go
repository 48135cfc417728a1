package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestDesignNamesEveryPackageAndStage keeps docs/design.md true to the
// code: every package under internal/ is named in it (as `path`), and so
// is every stage function of the pipeline, a method of run that returns an
// *Outcome.
func TestDesignNamesEveryPackageAndStage(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("docs", "design.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	pkgs := goPackages(t, "internal")
	if len(pkgs) < 20 {
		t.Fatalf("found %d packages under internal/, want the whole tree", len(pkgs))
	}
	for _, p := range pkgs {
		if !strings.Contains(doc, "`"+p+"`") {
			t.Errorf("docs/design.md does not name package `%s`", p)
		}
	}
	stages := stageFunctions(t, filepath.Join("internal", "pipeline"))
	if len(stages) < 15 {
		t.Fatalf("found %d stage functions, want every method of run that returns an *Outcome", len(stages))
	}
	for _, s := range stages {
		if !strings.Contains(doc, "`"+s+"`") {
			t.Errorf("docs/design.md does not name stage function `%s`", s)
		}
	}
}

// goPackages lists the directories under root holding non-test Go files,
// relative to root, leaving out testdata.
func goPackages(t *testing.T, root string) []string {
	t.Helper()
	set := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "testdata" {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			rel, _ := filepath.Rel(root, filepath.Dir(path))
			set[filepath.ToSlash(rel)] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// stageFunctions lists the methods of run in dir whose results include an
// *Outcome.
func stageFunctions(t *testing.T, dir string) []string {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if ok && isRunMethod(fn) && returnsOutcome(fn) {
				out = append(out, fn.Name.Name)
			}
		}
	}
	sort.Strings(out)
	return out
}

func isRunMethod(fn *ast.FuncDecl) bool {
	if fn.Recv == nil || len(fn.Recv.List) != 1 {
		return false
	}
	star, ok := fn.Recv.List[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	id, ok := star.X.(*ast.Ident)
	return ok && id.Name == "run"
}

func returnsOutcome(fn *ast.FuncDecl) bool {
	if fn.Type.Results == nil {
		return false
	}
	for _, r := range fn.Type.Results.List {
		if star, ok := r.Type.(*ast.StarExpr); ok {
			if id, ok := star.X.(*ast.Ident); ok && id.Name == "Outcome" {
				return true
			}
		}
	}
	return false
}
