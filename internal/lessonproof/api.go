package lessonproof

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"maps"
	"slices"
	"strings"
)

// API summarises the exported API of one Go package given as file contents keyed by name:
// for each exported name (methods as "Type.Method") a one-line declaration without doc
// comments, bodies or unexported struct fields. It also returns the package name. Two
// packages that a learner can use the same way have equal summaries.
func API(files map[string][]byte) (pkg string, api map[string]string, err error) {
	fset := token.NewFileSet()
	api = map[string]string{}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		f, err := parser.ParseFile(fset, name, files[name], parser.SkipObjectResolution)
		if err != nil {
			return "", nil, fmt.Errorf("lessonproof: %w", err)
		}
		if pkg != "" && f.Name.Name != pkg {
			return "", nil, fmt.Errorf("lessonproof: %s is package %s, not %s", name,
				f.Name.Name, pkg)
		}
		pkg = f.Name.Name
		for _, d := range f.Decls {
			addDecl(fset, api, d)
		}
	}
	return pkg, api, nil
}

func addDecl(fset *token.FileSet, api map[string]string, d ast.Decl) {
	switch d := d.(type) {
	case *ast.FuncDecl:
		if !d.Name.IsExported() {
			return
		}
		key := d.Name.Name
		if d.Recv != nil && len(d.Recv.List) == 1 {
			recv := receiverName(d.Recv.List[0].Type)
			if !ast.IsExported(recv) {
				return
			}
			key = recv + "." + key
		}
		api[key] = "func " + key + strings.TrimPrefix(render(fset, d.Type), "func")
	case *ast.GenDecl:
		for _, s := range d.Specs {
			addSpec(fset, api, d.Tok, s)
		}
	}
}

func addSpec(fset *token.FileSet, api map[string]string, tok token.Token, s ast.Spec) {
	switch s := s.(type) {
	case *ast.TypeSpec:
		if !s.Name.IsExported() {
			return
		}
		assign := " "
		if s.Assign.IsValid() {
			assign = " = "
		}
		api[s.Name.Name] = "type " + s.Name.Name + typeParams(fset, s.TypeParams) + assign +
			render(fset, exportedOnly(s.Type))
	case *ast.ValueSpec:
		for i, n := range s.Names {
			if !n.IsExported() {
				continue
			}
			decl := tok.String() + " " + n.Name
			if s.Type != nil {
				decl += " " + render(fset, s.Type)
			}
			if i < len(s.Values) {
				decl += " = " + render(fset, s.Values[i])
			}
			api[n.Name] = decl
		}
	}
}

// exportedOnly returns a struct type without its unexported fields, or t itself.
func exportedOnly(t ast.Expr) ast.Expr {
	st, ok := t.(*ast.StructType)
	if !ok {
		return t
	}
	out := &ast.StructType{Fields: &ast.FieldList{}}
	for _, f := range st.Fields.List {
		var names []*ast.Ident
		for _, n := range f.Names {
			if n.IsExported() {
				names = append(names, ast.NewIdent(n.Name))
			}
		}
		embeddedExported := len(f.Names) == 0 && ast.IsExported(receiverName(f.Type))
		if len(names) == 0 && !embeddedExported {
			continue
		}
		out.Fields.List = append(out.Fields.List, &ast.Field{Names: names, Type: f.Type, Tag: f.Tag})
	}
	return out
}

// receiverName returns the type name of a receiver or embedded field: T, *T, T[P] or pkg.T.
func receiverName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.StarExpr:
		return receiverName(e.X)
	case *ast.IndexExpr:
		return receiverName(e.X)
	case *ast.IndexListExpr:
		return receiverName(e.X)
	case *ast.SelectorExpr:
		return e.Sel.Name
	case *ast.Ident:
		return e.Name
	}
	return ""
}

// render prints a node on one line, without comments.
func render(fset *token.FileSet, n ast.Node) string {
	if n == nil {
		return ""
	}
	var buf bytes.Buffer
	if err := printer.Fprint(&buf, fset, n); err != nil {
		return fmt.Sprintf("<%v>", err)
	}
	return strings.Join(strings.Fields(buf.String()), " ")
}

// typeParams prints a type parameter list such as "[K comparable, V any]".
func typeParams(fset *token.FileSet, l *ast.FieldList) string {
	if l == nil {
		return ""
	}
	var parts []string
	for _, f := range l.List {
		var names []string
		for _, n := range f.Names {
			names = append(names, n.Name)
		}
		parts = append(parts, strings.Join(names, ", ")+" "+render(fset, f.Type))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
