package learn

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// ErrNoWorkspace is returned by [FindRoot] when no callbacklab folder encloses the start
// directory. Like the other errors a learner reads ([LessonByKey]'s, [CheckTimeout]'s), its
// text has no package prefix: the command line puts its own "callbacklab: " in front.
var ErrNoWorkspace = errors.New("no callbacklab folder with lessons found here " +
	"(run this inside your callbacklab folder, or pass --dir)")

// ModulePath is the module path the lessons' go.mod declares.
const ModulePath = "callbacklab"

// Lesson is a lesson folder as found on disk.
type Lesson struct {
	// Number is the lesson's number, from the folder name.
	Number int
	// Dir is the folder name, such as "01-first-callbacks".
	Dir string
	// Title is the README's first level-one heading, or Dir when there is none.
	Title string
}

var lessonDirPattern = regexp.MustCompile(`^(\d\d)-[a-z0-9-]+$`)

// FindRoot walks up from start to the first folder whose go.mod declares module callbacklab
// and that has a lessons folder, and returns that folder.
func FindRoot(start string) (string, error) {
	dir, err := filepath.Abs(start)
	if err != nil {
		return "", fmt.Errorf("learn: %w", err)
	}
	for {
		if isRoot(dir) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", ErrNoWorkspace
		}
		dir = parent
	}
}

// isRoot reports whether dir holds go.mod for module callbacklab and a lessons folder.
func isRoot(dir string) bool {
	mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil || modulePath(mod) != ModulePath {
		return false
	}
	fi, err := os.Stat(filepath.Join(dir, "lessons"))
	return err == nil && fi.IsDir()
}

// modulePath returns the path on the module line of a go.mod file.
func modulePath(mod []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(mod))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`)
		}
	}
	return ""
}

// FindLessons returns the lesson folders under root/lessons in order of their number.
func FindLessons(root string) ([]Lesson, error) {
	entries, err := os.ReadDir(filepath.Join(root, "lessons"))
	if err != nil {
		return nil, fmt.Errorf("learn: %w", err)
	}
	var out []Lesson
	for _, e := range entries {
		m := lessonDirPattern.FindStringSubmatch(e.Name())
		if !e.IsDir() || m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[1])
		out = append(out, Lesson{
			Number: n,
			Dir:    e.Name(),
			Title:  readmeTitle(filepath.Join(root, "lessons", e.Name(), "README.md"), e.Name()),
		})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no lesson folders (NN-name) in %s",
			filepath.Join(root, "lessons"))
	}
	return out, nil
}

// readmeTitle returns the first level-one heading of a README, or fallback.
func readmeTitle(path, fallback string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return fallback
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if t, ok := strings.CutPrefix(strings.TrimRight(line, "\r"), "# "); ok {
			return strings.TrimSpace(t)
		}
	}
	return fallback
}

// LessonByKey returns the lesson whose number or folder name is key ("2", "02" or
// "02-callback-contract"). When there is none, the error reads as the learner should see
// it, such as `no lesson "99" (try a number from 1 to 9)`.
func LessonByKey(all []Lesson, key string) (Lesson, error) {
	n, err := strconv.Atoi(key)
	for _, l := range all {
		if l.Dir == key || (err == nil && l.Number == n) {
			return l, nil
		}
	}
	return Lesson{}, fmt.Errorf("no lesson %q (try a number from 1 to %d)", key, len(all))
}
