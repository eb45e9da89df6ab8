package learn

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// ResetPlan says what restoring a lesson would change.
type ResetPlan struct {
	// LessonPath is the lesson's folder on disk.
	LessonPath string
	// Changed are the files whose content differs from the original or that are missing.
	Changed []string
	// Extra are .go files in the folder that the lesson did not ship with; reset leaves them.
	Extra    []string
	original map[string][]byte
}

// PlanReset compares the files in lessonPath with original (file name to content, the
// exercise and test files as shipped) and returns what a reset would change.
func PlanReset(lessonPath string, original map[string][]byte) (ResetPlan, error) {
	p := ResetPlan{LessonPath: lessonPath, original: original}
	for _, name := range slices.Sorted(maps.Keys(original)) {
		cur, err := os.ReadFile(filepath.Join(lessonPath, name))
		if err != nil && !os.IsNotExist(err) {
			return ResetPlan{}, fmt.Errorf("learn: %w", err)
		}
		if err != nil || !bytes.Equal(cur, original[name]) {
			p.Changed = append(p.Changed, name)
		}
	}
	entries, err := os.ReadDir(lessonPath)
	if err != nil {
		return ResetPlan{}, fmt.Errorf("learn: %w", err)
	}
	for _, e := range entries {
		if _, ok := original[e.Name()]; !ok && !e.IsDir() && strings.HasSuffix(e.Name(), ".go") {
			p.Extra = append(p.Extra, e.Name())
		}
	}
	return p, nil
}

// Apply copies every regular file of the lesson folder to a new folder under backupRoot,
// named after the lesson and the time, and then writes the original content of the changed
// files. It returns the backup folder.
func (p ResetPlan) Apply(backupRoot string, now time.Time) (string, error) {
	if len(p.Changed) == 0 {
		return "", nil
	}

	// Back up first; restore nothing unless the backup is complete.
	backup := filepath.Join(backupRoot,
		filepath.Base(p.LessonPath)+"-"+now.Format("20060102-150405"))
	if err := os.MkdirAll(backup, 0o755); err != nil {
		return "", fmt.Errorf("learn: making the backup folder: %w", err)
	}
	entries, err := os.ReadDir(p.LessonPath)
	if err != nil {
		return "", fmt.Errorf("learn: %w", err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(p.LessonPath, e.Name()))
		if err != nil {
			return "", fmt.Errorf("learn: backing up %s: %w", e.Name(), err)
		}
		if err := os.WriteFile(filepath.Join(backup, e.Name()), b, 0o644); err != nil {
			return "", fmt.Errorf("learn: backing up %s: %w", e.Name(), err)
		}
	}

	// Restore.
	for _, name := range p.Changed {
		if err := writeFileAtomic(filepath.Join(p.LessonPath, name), p.original[name],
			0o644); err != nil {
			return backup, err
		}
	}
	return backup, nil
}

// DefaultBackupRoot returns <user cache dir>/callbacklab/backups, where reset keeps the
// learner's files.
func DefaultBackupRoot() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("learn: finding a place for backups: %w", err)
	}
	return filepath.Join(dir, "callbacklab", "backups"), nil
}
