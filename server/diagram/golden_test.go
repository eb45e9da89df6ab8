package diagram

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden SVG files in testdata/golden")

// TestGolden renders every testdata/golden/*.mmd and compares the SVG with the
// .svg file beside it; run with -update to rewrite them after a deliberate
// change, then look at them.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*.mmd"))
	require.NoError(t, err, "listing the golden inputs")
	require.NotEmpty(t, files, "testdata/golden should hold .mmd inputs")
	for _, in := range files {
		name := strings.TrimSuffix(filepath.Base(in), ".mmd")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(in)
			require.NoError(t, err, "reading the input")
			got, err := RenderSVG(src)
			require.NoError(t, err, "the golden input %s should be a valid diagram", in)
			again, _ := RenderSVG(src)
			require.True(t, bytes.Equal(got, again), "rendering twice should give the same bytes")
			requireWellFormed(t, got)

			out := strings.TrimSuffix(in, ".mmd") + ".svg"
			if *update {
				require.NoError(t, os.WriteFile(out, got, 0o644), "writing %s", out)
				return
			}
			want, err := os.ReadFile(out)
			require.NoError(t, err, "reading %s (run go test -update to create it)", out)
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("SVG for %s changed; run go test -update if that is intended "+
					"(-want +got):\n%s", in, diff)
			}
		})
	}
}

// TestGoldenFilesWellFormed parses every committed golden SVG as XML.
func TestGoldenFilesWellFormed(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*.svg"))
	require.NoError(t, err, "listing the golden SVG files")
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err, "reading %s", f)
		t.Run(filepath.Base(f), func(t *testing.T) { requireWellFormed(t, b) })
	}
}

// requireWellFormed fails unless b is one well-formed XML document whose root
// is an svg element.
func requireWellFormed(t testing.TB, b []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	root := ""
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err, "the SVG should be well-formed XML")
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
	require.Equal(t, "svg", root, "the document's root element should be svg")
}
