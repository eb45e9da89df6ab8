package lessons

import (
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseREADME(t *testing.T) {
	src := "# Lesson 3: Asynchronous callbacks\n\nWork on another goroutine,\nthen call back.\n\n" +
		"More text.\n\n## The task\n\n```go\n# not a heading\n```\n\n## Hints\n\n" +
		"### Hint 1\n\nGentle.\n\n### Hint 2\n\n<!-- from: lessons/03/_solution/x.go -->\n" +
		"```go\n### still code\n```\n\n### Hint 3\n\nNearly.\n\n## After\n\nNot a hint.\n"
	title, summary, hints := parseREADME([]byte(src))
	assert.Equal(t, "Lesson 3: Asynchronous callbacks", title)
	assert.Equal(t, "Work on another goroutine, then call back.", summary,
		"the summary is the first paragraph, lines joined")
	want := []string{"Gentle.", "```go\n### still code\n```", "Nearly."}
	if diff := cmp.Diff(want, hints); diff != "" {
		t.Errorf("hints (-want +got):\n%s", diff)
	}
}

func TestLoad(t *testing.T) {
	fsys := fstest.MapFS{
		"02-second/README.md":             {Data: []byte("# Lesson 2: Second\n\nTwo.\n")},
		"02-second/exercise.go":           {Data: []byte("package second\n")},
		"02-second/second_test.go":        {Data: []byte("package second\n")},
		"02-second/_solution/exercise.go": {Data: []byte("package second // solved\n")},
		"01-first/README.md":              {Data: []byte("# Lesson 1: First\n\nOne.\n")},
		"notes/README.md":                 {Data: []byte("# Not a lesson\n")},
	}
	all, err := Load(fsys)
	require.NoError(t, err)
	require.Len(t, all, 2, "folders named NN-slug are lessons; others are not")
	assert.Equal(t, "01-first", all[0].Dir, "lessons are sorted by number")
	assert.Equal(t, 2, all[1].Number)
	assert.Contains(t, all[1].Exercise, "exercise.go")
	assert.Contains(t, all[1].Tests, "second_test.go")
	assert.Equal(t, "package second // solved\n", string(all[1].Solution["exercise.go"]))

	l, err := Find(all, "2")
	require.NoError(t, err)
	assert.Equal(t, "02-second", l.Dir, "find by number")
	_, err = Find(all, "7")
	assert.ErrorIs(t, err, ErrNoLesson)
	assert.ErrorContains(t, err, "try a number from 1 to 2")
}

func TestLoadNeedsATitle(t *testing.T) {
	_, err := Load(fstest.MapFS{"01-x/README.md": {Data: []byte("No heading.\n")}})
	assert.ErrorContains(t, err, "has no level-one heading")
}
