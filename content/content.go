// Package content holds callbacklab's article as Markdown files, embedded in the binary.
//
// Each page of the article is a file article/NN-slug.md that starts with YAML front matter
// (title, summary, order). The server renders the pages once at start-up; GitHub renders the
// same files, so links between pages are relative file links and links to lessons are
// relative repository paths, which the server rewrites to its own routes.
package content

import (
	"embed"
	"io/fs"
)

//go:embed article/*.md
var files embed.FS

// Article returns the article's pages: a file system whose root holds the NN-slug.md files.
func Article() fs.FS {
	sub, err := fs.Sub(files, "article")
	if err != nil {
		panic("content: article folder missing from the embedded files: " + err.Error())
	}
	return sub
}
