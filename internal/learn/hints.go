package learn

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// HintStore remembers how many hint tiers of each lesson a learner has seen, in a small JSON
// file kept in the user's cache folder rather than in the repository, keyed by the lesson's
// folder name.
type HintStore struct {
	// Path is the JSON file.
	Path string
}

// DefaultHintStore returns the store at <user cache dir>/callbacklab/hints.json.
func DefaultHintStore() (HintStore, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return HintStore{}, fmt.Errorf("learn: finding a place for the hint state: %w", err)
	}
	return HintStore{Path: filepath.Join(dir, "callbacklab", "hints.json")}, nil
}

// Hint is one tier of a lesson's hints.
type Hint struct {
	// Tier is the tier's number, from 1.
	Tier int
	// Total is how many tiers the lesson has.
	Total int
	// Text is the hint as Markdown.
	Text string
	// Repeat reports that every tier was already shown and this is the last one again.
	Repeat bool
}

// Next returns the next hint tier of the lesson in folder dir, whose tiers are hints, and
// records that it was shown. After the last tier it returns the last one again, with Repeat
// set.
func (s HintStore) Next(dir string, hints []string) (Hint, error) {
	if len(hints) == 0 {
		return Hint{}, fmt.Errorf("learn: lesson %s has no hints", dir)
	}
	seen, err := s.load()
	if err != nil {
		return Hint{}, err
	}
	n := seen[dir]
	h := Hint{Tier: n + 1, Total: len(hints)}
	if n >= len(hints) {
		h.Tier, h.Repeat = len(hints), true
	}
	h.Text = hints[h.Tier-1]
	seen[dir] = h.Tier
	if err := s.save(seen); err != nil {
		return Hint{}, err
	}
	return h, nil
}

// Seen returns how many tiers of the lesson in folder dir were shown.
func (s HintStore) Seen(dir string) (int, error) {
	seen, err := s.load()
	return seen[dir], err
}

// Forget clears the record of the lesson in folder dir, so its hints start again at tier 1.
func (s HintStore) Forget(dir string) error {
	seen, err := s.load()
	if err != nil {
		return err
	}
	if _, ok := seen[dir]; !ok {
		return nil
	}
	delete(seen, dir)
	return s.save(seen)
}

// load reads the file; a missing file is an empty record. A damaged file is treated as empty
// too: the worst outcome is a hint shown a second time.
func (s HintStore) load() (map[string]int, error) {
	seen := map[string]int{}
	b, err := os.ReadFile(s.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return seen, nil
	}
	if err != nil {
		return nil, fmt.Errorf("learn: reading the hint state: %w", err)
	}
	if json.Unmarshal(b, &seen) != nil {
		return map[string]int{}, nil
	}
	return seen, nil
}

// save writes the file atomically: a temporary file in the same folder, renamed over the old.
func (s HintStore) save(seen map[string]int) error {
	b, err := json.MarshalIndent(seen, "", "  ")
	if err != nil {
		return fmt.Errorf("learn: %w", err)
	}
	return writeFileAtomic(s.Path, b, 0o644)
}

// writeFileAtomic writes b to path through a temporary file and a rename, so a reader never
// sees half a file.
func writeFileAtomic(path string, b []byte, perm fs.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("learn: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("learn: %w", err)
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("learn: writing %s: %w", path, err)
	}
	if err := f.Chmod(perm); err != nil {
		f.Close()
		return fmt.Errorf("learn: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("learn: writing %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("learn: %w", err)
	}
	return nil
}
