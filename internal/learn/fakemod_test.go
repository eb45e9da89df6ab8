package learn

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// copyFakeModule copies testdata/fakemod, with only the lessons named, into a temporary
// folder, so tests can run and edit it.
func copyFakeModule(t testing.TB, lessons ...string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the go command on a fake lesson module; skipped with -short")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is needed to run lessons")
	}
	root := t.TempDir()
	src := filepath.Join("testdata", "fakemod")
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		parts := strings.Split(filepath.ToSlash(rel), "/")
		if len(parts) >= 2 && parts[0] == "lessons" && !contains(lessons, parts[1]) {
			return nil
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(root, rel), 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(root, rel), b, 0o644)
	})
	require.NoError(t, err, "copying the fake module")
	return root
}

func contains(s []string, v string) bool { return containsString(s, v) }
