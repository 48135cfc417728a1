package workspace

import (
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
)

// closureSuffix matches the ".func1", ".func1.2" tail Go gives closures.
var closureSuffix = regexp.MustCompile(`\.func\d+(\.\d+)*$`)

// goFunc finds the function declaration (doc comment included) that holds
// line in the Go source src, or, when line is unknown, the one named
// function. It returns zeros when the source does not parse or nothing
// encloses the line.
func goFunc(src []byte, line int, function string) (start, end int, name string) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "", src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return 0, 0, ""
	}
	want := closureSuffix.ReplaceAllString(function, "")
	for _, d := range file.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok {
			continue
		}
		first, last := fset.Position(fd.Pos()).Line, fset.Position(fd.End()).Line
		name := declName(fd)
		if (line > 0 && line >= first && line <= last) || (line <= 0 && want != "" && want == name) {
			if fd.Doc != nil {
				first = fset.Position(fd.Doc.Pos()).Line
			}
			return first, last, name
		}
	}
	return 0, 0, ""
}

// declName renders a declaration the way Go stack traces name it: "Get",
// "Store.Get" or "(*Store).Get".
func declName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	typ := fd.Recv.List[0].Type
	ptr := false
	if star, ok := typ.(*ast.StarExpr); ok {
		ptr, typ = true, star.X
	}
	recv := typeName(typ)
	if ptr {
		return "(*" + recv + ")." + fd.Name.Name
	}
	return recv + "." + fd.Name.Name
}

// typeName names a receiver type, generic parameters shown as "[...]".
func typeName(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.Ident:
		return t.Name
	case *ast.IndexExpr:
		return typeName(t.X) + "[...]"
	case *ast.IndexListExpr:
		return typeName(t.X) + "[...]"
	case *ast.ParenExpr:
		return typeName(t.X)
	}
	return "?"
}
