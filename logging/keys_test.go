package logging

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// logMethods are the slog calls whose arguments are key-value pairs.
var logMethods = map[string]bool{
	"Debug": true, "Info": true, "Warn": true, "Error": true,
	"DebugContext": true, "InfoContext": true, "WarnContext": true, "ErrorContext": true,
	"Log": true, "With": true,
}

// attrFuncs are slog's attribute constructors, whose first argument is a key.
var attrFuncs = map[string]bool{"Int64": true, "String": true, "Int": true, "Any": true}

// TestLogsNameATenantOneWay reads every log call in the module: the tenant
// is always "tenant" with our id and the iCIMS customer always
// "customer_id", so one search in the logs finds everything about either.
func TestLogsNameATenantOneWay(t *testing.T) {
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	fset := token.NewFileSet()
	var problems []string
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			pkg, _ := sel.X.(*ast.Ident)
			isAttr := pkg != nil && pkg.Name == "slog" && attrFuncs[sel.Sel.Name]
			if !logMethods[sel.Sel.Name] && !isAttr {
				return true
			}
			for i, arg := range call.Args {
				lit, ok := arg.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					continue
				}
				key, _ := strconv.Unquote(lit.Value)
				pos := fset.Position(lit.Pos())
				where := strings.TrimPrefix(pos.Filename, root+"/") + ":" + strconv.Itoa(pos.Line)
				switch key {
				case "tenant_id", "customer", "customerID", "tenantID", "cid":
					problems = append(problems, where+": log key "+strconv.Quote(key))
				case "tenant":
					if i+1 < len(call.Args) && mentionsCustomer(call.Args[i+1]) {
						problems = append(problems, where+`: "tenant" holds an iCIMS customer id; use "customer_id"`)
					}
				}
			}
			return true
		})
		return nil
	})
	require.NoError(t, err)
	assert.Empty(t, problems)
}

// mentionsCustomer reports whether an expression reads an iCIMS customer id.
func mentionsCustomer(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.Ident:
			found = found || x.Name == "CustomerID" || x.Name == "cid" || x.Name == "customerID"
		case *ast.SelectorExpr:
			found = found || x.Sel.Name == "CustomerID"
		}
		return !found
	})
	return found
}
