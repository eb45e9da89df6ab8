package workshop

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadMissingFileMakesANewRoom(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "workshop.json")
	r, fresh, err := Load(path, testLessons, nil)
	require.NoError(t, err, "a missing room file is not an error")
	assert.True(t, fresh, "a missing file gives a fresh room")
	assert.Len(t, r.Code(), codeLen)
}

func TestSaveAndLoadKeepTheRoom(t *testing.T) {
	path := filepath.Join(t.TempDir(), "workshop.json")
	r, clock := newTestRoom(t)
	id, tok, _, err := r.Join(r.Code(), "Ada")
	require.NoError(t, err)
	_, err = r.Report(id, Status{Lessons: []LessonStatus{
		{Lesson: 1, State: StateFailing, FirstFailing: "TestGreet"}}})
	require.NoError(t, err)
	_, err = r.Unlock(1, "hint")
	require.NoError(t, err)
	goneID, goneTok, _, err := r.Join(r.Code(), "Gone")
	require.NoError(t, err)
	require.True(t, r.Remove(goneID))

	_, err = Save(path, r)
	require.NoError(t, err)
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(),
		"the room file holds the instructor token, so only its owner may read it")
	entries, err := os.ReadDir(filepath.Dir(path))
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file is left next to the room file")

	loaded, fresh, err := Load(path, testLessons, clock.Now)
	require.NoError(t, err)
	assert.False(t, fresh, "the saved room is loaded")
	assert.Equal(t, r.Code(), loaded.Code(), "the join code survives a restart")
	assert.True(t, loaded.CheckInstructor(r.InstructorToken()),
		"the instructor token survives a restart, so open pages reconnect")
	gotID, err := loaded.Authenticate(tok)
	require.NoError(t, err, "a learner's token survives a restart, so they reconnect")
	assert.Equal(t, id, gotID)
	_, err = loaded.Authenticate(goneTok)
	assert.ErrorIs(t, err, ErrRemoved, "a removed learner stays removed after a restart")
	if diff := cmp.Diff(r.View(), loaded.View()); diff != "" {
		t.Errorf("the room's view after a restart (-want +got):\n%s", diff)
	}
}

func TestLoadRefusesADamagedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "workshop.json")
	for _, content := range []string{"{not json", `{"version": 99, "code": "ABCDEF"}`} {
		require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
		_, _, err := Load(path, testLessons, nil)
		require.Error(t, err, "a damaged room file must not be silently replaced")
		assert.Contains(t, err.Error(), "move it away to start a new room",
			"the error says how to recover")
	}
}

func TestSaverSavesAfterChangesAndOnClose(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "workshop.json")
		r := NewRoom(testLessons, nil)
		var errs []error
		s := StartSaver(r, path, time.Second, func(err error) { errs = append(errs, err) })

		synctest.Wait()
		loaded, fresh, err := Load(path, testLessons, nil)
		require.NoError(t, err)
		require.False(t, fresh, "a new room is saved at once, so its code is kept")
		assert.Equal(t, r.Code(), loaded.Code())

		// Two quick joins: saved together after the interval.
		_, _, _, err = r.Join(r.Code(), "Ada")
		require.NoError(t, err)
		_, _, _, err = r.Join(r.Code(), "Bob")
		require.NoError(t, err)
		time.Sleep(1100 * time.Millisecond) // fake time inside the bubble
		synctest.Wait()
		loaded, _, err = Load(path, testLessons, nil)
		require.NoError(t, err)
		assert.Len(t, loaded.View().Learners, 2, "both joins are saved after the interval")

		// A change right before closing is saved by Close.
		_, _, _, err = r.Join(r.Code(), "Cy")
		require.NoError(t, err)
		require.NoError(t, s.Close(), "the last save works")
		loaded, _, err = Load(path, testLessons, nil)
		require.NoError(t, err)
		assert.Len(t, loaded.View().Learners, 3, "Close saves the last change")
		assert.Empty(t, errs, "no save failed")
	})
}

func TestSaverBacksOffAndReportsOnceWhileSavingFails(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dir := t.TempDir()
		blocker := filepath.Join(dir, "blocker")
		// A file where the room's folder should be: every save fails.
		require.NoError(t, os.WriteFile(blocker, nil, 0o600))
		path := filepath.Join(blocker, "workshop.json")
		r := NewRoom(testLessons, nil)
		var mu sync.Mutex
		var failed, recovered int
		s := StartSaver(r, path, time.Second, func(err error) {
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failed++
			} else {
				recovered++
			}
		})

		// Ten minutes of a busy room whose file cannot be written.
		for i := range 600 {
			_, _, _, _ = r.Join(r.Code(), fmt.Sprintf("Learner %d", i%400))
			time.Sleep(time.Second)
			synctest.Wait()
		}
		mu.Lock()
		assert.Equal(t, 1, failed, "a failing save is reported once, not every second")
		assert.Zero(t, recovered)
		mu.Unlock()

		// The folder can be made again: the saver writes within its longest pause.
		require.NoError(t, os.Remove(blocker))
		time.Sleep(maxSaveBackoff + time.Second)
		synctest.Wait()
		mu.Lock()
		assert.Equal(t, 1, recovered, "the saver says when saving works again")
		mu.Unlock()
		loaded, _, err := Load(path, testLessons, nil)
		require.NoError(t, err, "the room is on disk again")
		assert.Equal(t, r.Code(), loaded.Code())
		require.NoError(t, s.Close())
	})
}
