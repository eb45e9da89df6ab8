package server

import (
	"bytes"
	"fmt"

	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/styles"
)

// highlightCSS returns the style sheet for highlighted code: a light style, and a dark one
// for when the system prefers a dark theme.
func highlightCSS() ([]byte, error) {
	f := chromahtml.New(chromahtml.WithClasses(true))
	// Each style sits in its own media query: a token colour that only the light style sets
	// must not leak into the dark theme, where it could be dark on dark.
	var buf bytes.Buffer
	buf.WriteString("@media not (prefers-color-scheme: dark) {\n")
	if err := f.WriteCSS(&buf, styles.Get("github")); err != nil {
		return nil, fmt.Errorf("server: highlight css: %w", err)
	}
	buf.WriteString("}\n@media (prefers-color-scheme: dark) {\n")
	if err := f.WriteCSS(&buf, styles.Get("github-dark")); err != nil {
		return nil, fmt.Errorf("server: highlight css: %w", err)
	}
	buf.WriteString("}\n")
	return buf.Bytes(), nil
}
