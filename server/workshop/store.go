package workshop

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// DefaultStatePath returns where the room is saved when no path is given: callbacklab's
// folder in the user's configuration directory, or the working directory when there is none.
func DefaultStatePath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "callbacklab-workshop.json"
	}
	return filepath.Join(dir, "callbacklab", "workshop.json")
}

// Load reads the room saved at path. When no file is there it returns a new room and fresh
// reports true. The lessons are the current ones; a saved room keeps its learners, their
// progress, the code, the instructor token and what was unlocked.
func Load(path string, lessons []Lesson, now func() time.Time) (r *Room, fresh bool, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return NewRoom(lessons, now), true, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("workshop: reading the room: %w", err)
	}
	var st roomState
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, false, fmt.Errorf("workshop: the room file %s is damaged (%v); "+
			"move it away to start a new room", path, err)
	}
	if st.Version != stateVersion {
		return nil, false, fmt.Errorf("workshop: the room file %s is not one this "+
			"callbacklab can read (format %d); move it away to start a new room", path, st.Version)
	}
	if err := st.check(); err != nil {
		return nil, false, fmt.Errorf("workshop: the room file %s is damaged (%v); "+
			"move it away to start a new room", path, err)
	}
	r = newRoom(lessons, now)
	r.st = st
	return r, false, nil
}

// Save writes the room to path atomically: a reader, or a crash, sees the old file or the
// new one, never half of one. It returns the room version that was written. The file is
// readable by its owner only, since it holds the instructor token.
func Save(path string, r *Room) (uint64, error) {
	st, ver := r.snapshot()
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return 0, fmt.Errorf("workshop: encoding the room: %w", err)
	}
	if err := writeFileAtomic(path, b); err != nil {
		return 0, fmt.Errorf("workshop: saving the room: %w", err)
	}
	return ver, nil
}

// writeFileAtomic writes b to a temporary file next to path, flushes it to disk, and renames
// it over path.
func writeFileAtomic(path string, b []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // fails harmlessly once renamed

	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}

	// Make the rename itself durable. Not every system can sync a folder; that is fine.
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// maxSaveBackoff is the longest pause between two attempts to save a room that fails.
const maxSaveBackoff = time.Minute

// Saver saves a room to its file after every change, at most once per interval, and once
// more when closed.
type Saver struct {
	room  *Room
	path  string
	every time.Duration
	onErr func(error)

	stop chan struct{}
	done chan struct{}
	once sync.Once
	err  error
}

// StartSaver starts saving r to path. every is the shortest time between two saves (zero
// means one second). onErr, if not nil, hears once when saving starts to fail, and with a
// nil error when saving works again; in between the saver keeps trying, with pauses that grow
// from twice the interval to a minute, so a file that cannot be written does not flood the
// log.
func StartSaver(r *Room, path string, every time.Duration, onErr func(error)) *Saver {
	if every <= 0 {
		every = time.Second
	}
	if onErr == nil {
		onErr = func(error) {}
	}
	s := &Saver{room: r, path: path, every: every, onErr: onErr,
		stop: make(chan struct{}), done: make(chan struct{})}
	go s.loop()
	return s
}

func (s *Saver) loop() {
	defer close(s.done)
	saved := uint64(0)
	backoff := time.Duration(0) // zero while saving works
	for {
		ver, changed := s.room.Changed()
		if ver != saved {
			wait := s.every
			v, err := Save(s.path, s.room)
			switch {
			case err != nil:
				if backoff == 0 {
					s.onErr(err)
				}
				backoff = min(max(2*backoff, 2*s.every), maxSaveBackoff)
				wait = backoff
			case backoff > 0:
				backoff = 0
				s.onErr(nil)
				fallthrough
			default:
				saved = v
			}

			// Wait out the interval, so a busy room is written at most once per interval.
			t := time.NewTimer(wait)
			select {
			case <-t.C:
			case <-s.stop:
				t.Stop()
				s.final(saved)
				return
			}
			continue
		}
		select {
		case <-changed:
		case <-s.stop:
			s.final(saved)
			return
		}
	}
}

// final saves the room one last time if it changed since the last save.
func (s *Saver) final(saved uint64) {
	if ver, _ := s.room.Changed(); ver == saved {
		return
	}
	_, s.err = Save(s.path, s.room)
}

// Close stops the saver after a last save, and returns that save's error.
func (s *Saver) Close() error {
	s.once.Do(func() { close(s.stop) })
	<-s.done
	return s.err
}
