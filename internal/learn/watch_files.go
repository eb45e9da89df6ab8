package learn

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Change is a batch of saves: the lessons whose files changed and when the first save of the
// batch was seen.
type Change struct {
	// Dirs are the lesson folders that changed, such as "02-callback-contract".
	Dirs []string
	// At is when the first save of the batch was noticed.
	At time.Time
}

// FileWatch reports saves of lesson files (.go files and README.md) as [Change] batches.
type FileWatch struct {
	// Root is the module root holding lessons/.
	Root string
	// Poll makes the watch compare file times and sizes every PollInterval instead of
	// asking the operating system for events; it is for file systems that send no events
	// (folders shared with Windows under WSL, some network and container mounts).
	Poll bool
	// PollInterval is the time between two polls; zero means 300 ms.
	PollInterval time.Duration
	// Debounce is how long the watch waits after a save for more saves before it reports the
	// batch; editors often write a file in several steps. Zero means 150 ms.
	Debounce time.Duration
}

// Watch reports batches of saves on the returned channel until ctx is done, then closes it.
// A save is any write of a lesson file, even one that leaves its content as it was, and a
// change of its modification time alone (`touch`); a change of its permissions alone is not.
// It watches folders, not files, so a save that replaces a file (write to a temporary file,
// then rename) or deletes and recreates it is seen like a save in place; a lesson folder that
// is removed and created again is watched again.
func (w FileWatch) Watch(ctx context.Context) (<-chan Change, error) {
	raw := make(chan string, 64)
	var err error
	if w.Poll {
		err = w.poll(ctx, raw)
	} else {
		err = w.notify(ctx, raw)
	}
	if err != nil {
		return nil, err
	}
	out := make(chan Change)
	go w.debounce(ctx, raw, out)
	return out, nil
}

// debounce gathers the lesson folders from raw until none came for w.Debounce, then sends
// them as one batch.
func (w FileWatch) debounce(ctx context.Context, raw <-chan string, out chan<- Change) {
	defer close(out)
	wait := w.Debounce
	if wait <= 0 {
		wait = 150 * time.Millisecond
	}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	var pending Change
	ready := false
	for {
		// Offer the batch only once it is quiet; saves keep arriving meanwhile.
		var offer chan<- Change
		if ready {
			offer = out
		}
		select {
		case <-ctx.Done():
			return
		case dir := <-raw:
			if len(pending.Dirs) == 0 {
				pending.At = time.Now()
			}
			if !containsString(pending.Dirs, dir) {
				pending.Dirs = append(pending.Dirs, dir)
			}
			ready = false
			timer.Reset(wait)
		case <-timer.C:
			ready = true
		case offer <- pending:
			pending, ready = Change{}, false
		}
	}
}

// notify watches the lessons folder and every lesson folder with fsnotify.
func (w FileWatch) notify(ctx context.Context, raw chan<- string) error {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("learn: watching files: %w (try --poll)", err)
	}
	lessonsDir := filepath.Join(w.Root, "lessons")
	if err := fw.Add(lessonsDir); err != nil {
		fw.Close()
		return fmt.Errorf("learn: watching %s: %w (try --poll)", lessonsDir, err)
	}
	entries, err := os.ReadDir(lessonsDir)
	if err != nil {
		fw.Close()
		return fmt.Errorf("learn: %w", err)
	}
	stamps, err := scan(lessonsDir) // owned by the goroutine below from now on
	if err != nil {
		fw.Close()
		return err
	}
	for _, e := range entries {
		if e.IsDir() && lessonDirPattern.MatchString(e.Name()) {
			if err := fw.Add(filepath.Join(lessonsDir, e.Name())); err != nil {
				fw.Close()
				return fmt.Errorf("learn: watching %s: %w (try --poll)", e.Name(), err)
			}
		}
	}

	go func() {
		defer fw.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case err, ok := <-fw.Errors:
				if !ok {
					return
				}
				// An overflow means events were lost: treat it as a save everywhere.
				if errors.Is(err, fsnotify.ErrEventOverflow) {
					send(ctx, raw, "")
				}
			case ev, ok := <-fw.Events:
				if !ok {
					return
				}
				w.handleEvent(ctx, fw, lessonsDir, ev, raw, stamps)
			}
		}
	}()
	return nil
}

// handleEvent turns one fsnotify event into the lesson folder it concerns.
// stamps holds the files' last known times and sizes, keyed like [scan]'s.
func (w FileWatch) handleEvent(ctx context.Context, fw *fsnotify.Watcher, lessonsDir string,
	ev fsnotify.Event, raw chan<- string, stamps map[string]fileStamp) {
	rel, err := filepath.Rel(lessonsDir, ev.Name)
	if err != nil || strings.HasPrefix(rel, "..") {
		return
	}
	parts := strings.Split(filepath.ToSlash(rel), "/")
	if !lessonDirPattern.MatchString(parts[0]) {
		return
	}

	// A lesson folder itself: watch it again when it is (re)created.
	if len(parts) == 1 {
		if ev.Has(fsnotify.Create) {
			if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() {
				_ = fw.Add(ev.Name)
				send(ctx, raw, parts[0])
			}
		}
		return
	}
	if len(parts) == 2 && watchedFile(parts[1]) && isSave(ev, parts[0]+"/"+parts[1], stamps) {
		send(ctx, raw, parts[0])
	}
}

// isSave reports whether ev, on the lesson file known as key, is a save, and remembers the
// file's stamp. Writes, creations, renames and removals are saves. An event about the file's
// metadata alone (fsnotify's Chmod) is a save when the modification time or the size moved:
// `touch`, and editors that only set the time when nothing changed, send nothing else, and
// the learner who saves expects a run. A change of permissions alone is not a save.
//
// Saves are not compared by content: a save that changes nothing runs the tests again, which
// is the feedback the learner asked for by saving.
func isSave(ev fsnotify.Event, key string, stamps map[string]fileStamp) bool {
	before, known := stamps[key]
	fi, err := os.Stat(ev.Name)
	if err != nil {
		delete(stamps, key)
		return ev.Op != fsnotify.Chmod
	}
	now := fileStamp{fi.ModTime(), fi.Size()}
	stamps[key] = now
	if ev.Op != fsnotify.Chmod {
		return true
	}
	return !known || before != now
}

// watchedFile reports whether a save of the file named name is worth a test run: Go files,
// but not an editor's temporary or backup copies.
func watchedFile(name string) bool {
	if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "#") {
		return false
	}
	return strings.HasSuffix(name, ".go") || name == "go.mod"
}

func send(ctx context.Context, raw chan<- string, dir string) {
	select {
	case raw <- dir:
	case <-ctx.Done():
	}
}

// fileStamp is what polling compares.
type fileStamp struct {
	mod  time.Time
	size int64
}

// poll compares the lesson files' modification times and sizes every w.PollInterval.
func (w FileWatch) poll(ctx context.Context, raw chan<- string) error {
	every := w.PollInterval
	if every <= 0 {
		every = 300 * time.Millisecond
	}
	lessonsDir := filepath.Join(w.Root, "lessons")
	last, err := scan(lessonsDir)
	if err != nil {
		return err
	}
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			cur, err := scan(lessonsDir)
			if err != nil {
				continue
			}
			for _, dir := range changedDirs(last, cur) {
				send(ctx, raw, dir)
			}
			last = cur
		}
	}()
	return nil
}

// scan stamps every watched file of every lesson folder, keyed by "dir/name".
func scan(lessonsDir string) (map[string]fileStamp, error) {
	out := map[string]fileStamp{}
	dirs, err := os.ReadDir(lessonsDir)
	if err != nil {
		return nil, fmt.Errorf("learn: %w", err)
	}
	for _, d := range dirs {
		if !d.IsDir() || !lessonDirPattern.MatchString(d.Name()) {
			continue
		}
		files, err := os.ReadDir(filepath.Join(lessonsDir, d.Name()))
		if err != nil {
			continue
		}
		for _, f := range files {
			if !watchedFile(f.Name()) {
				continue
			}
			fi, err := f.Info()
			if errors.Is(err, fs.ErrNotExist) || err != nil {
				continue
			}
			out[d.Name()+"/"+f.Name()] = fileStamp{fi.ModTime(), fi.Size()}
		}
	}
	return out, nil
}

// changedDirs returns the lesson folders with a file added, removed or changed.
func changedDirs(before, after map[string]fileStamp) []string {
	var dirs []string
	add := func(key string) {
		dir, _, _ := strings.Cut(key, "/")
		if !containsString(dirs, dir) {
			dirs = append(dirs, dir)
		}
	}
	for k, a := range after {
		if b, ok := before[k]; !ok || b != a {
			add(k)
		}
	}
	for k := range before {
		if _, ok := after[k]; !ok {
			add(k)
		}
	}
	return dirs
}

func containsString(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// NeedsPolling reports whether root lies on a Windows drive mounted into WSL (/mnt/c/...),
// where saves made by Windows editors send no inotify events, so only polling sees them.
func NeedsPolling(root string) bool {
	if runtime.GOOS != "linux" || !strings.HasPrefix(filepath.ToSlash(root), "/mnt/") {
		return false
	}
	b, err := os.ReadFile("/proc/sys/kernel/osrelease")
	return err == nil && strings.Contains(strings.ToLower(string(b)), "microsoft")
}
