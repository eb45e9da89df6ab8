package workshop

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
)

// DefaultCredentialsPath returns where a learner's workshop token and unlocks are kept:
// callbacklab's folder in the user's configuration directory, or "" (keep nothing) when
// there is none.
func DefaultCredentialsPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "callbacklab", "workshop-learner.json")
}

// credentials is what a learner keeps between commands.
type credentials struct {
	URL      string  `json:"url"`
	Code     string  `json:"code"`
	Name     string  `json:"name"`
	Shown    string  `json:"shown"`
	Token    string  `json:"token"`
	Unlocked Unlocks `json:"unlocked"`
}

// loadCredentials returns the kept credentials when they are for this workshop and name.
func (r *Reporter) loadCredentials() (credentials, bool) {
	c, err := readCredentials(r.creds)
	if err != nil || c.URL != r.base || normalizeCode(c.Code) != normalizeCode(r.code) ||
		c.Name != r.name || c.Token == "" {
		return credentials{}, false
	}
	c.Unlocked = cleanUnlocks(c.Unlocked)
	c.Shown = SafeText(c.Shown)
	return c, true
}

// saveCredentials keeps the token and unlocks; failing to is not worth bothering the learner,
// who then joins again next time.
func (r *Reporter) saveCredentials() {
	if r.creds == "" {
		return
	}
	r.mu.Lock()
	c := credentials{URL: r.base, Code: r.code, Name: r.name, Shown: r.shown, Token: r.token,
		Unlocked: r.unlocked}
	r.mu.Unlock()
	if c.Token == "" {
		return
	}
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return
	}
	_ = writeFileAtomic(r.creds, b)
}

// forgetCredentials deletes the kept token when it is this reporter's.
func (r *Reporter) forgetCredentials() {
	if _, ok := r.loadCredentials(); ok {
		_ = os.Remove(r.creds)
	}
}

func readCredentials(path string) (credentials, error) {
	if path == "" {
		return credentials{}, errors.New("workshop: no credentials file")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return credentials{}, err
	}
	var c credentials
	if err := json.Unmarshal(b, &c); err != nil {
		return credentials{}, err
	}
	return c, nil
}

// SavedUnlocks returns what the instructor of the last workshop joined had unlocked for
// everyone, as kept in the credentials file at path (see [DefaultCredentialsPath]). Commands
// such as "callbacklab hint" use it; when nothing was kept it returns empty Unlocks.
//
// TODO: "callbacklab solution" does not read SavedUnlocks yet, so a solution the instructor
// unlocked for everyone is still refused until the learner's lesson passes.
func SavedUnlocks(path string) Unlocks {
	c, err := readCredentials(path)
	if err != nil {
		return Unlocks{}
	}
	return cleanUnlocks(c.Unlocked)
}

// sortedLessonKeys returns the lesson numbers of u in numeric order.
func sortedLessonKeys(u Unlocks) []string {
	keys := make([]string, 0, len(u))
	for k := range u {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		x, _ := strconv.Atoi(a)
		y, _ := strconv.Atoi(b)
		return x - y
	})
	return keys
}
