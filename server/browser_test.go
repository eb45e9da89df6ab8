package server_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"callbacklab/content"
	"callbacklab/internal/browsertest"
	"callbacklab/lessons"
	"callbacklab/server"
)

// TestBrowserTour walks the site as a newcomer does, in headless Chromium: the home page, a
// link to the article, the first page, then the lessons and the keyboard's next-lesson key.
func TestBrowserTour(t *testing.T) {
	all, err := lessons.All()
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(all), 2, "the tour needs two lessons")
	app, err := server.New(server.Config{Article: content.Article(), Lessons: all})
	require.NoError(t, err)
	srv := httptest.NewServer(app)
	defer srv.Close()

	b := browsertest.New(t)
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(b.Ctx, chromedp.Text(sel))
		require.NoError(t, err, "reading %s", sel)
		return strings.TrimSpace(s)
	}
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		require.NoError(t, chromedp.Do(b.Ctx, steps...), what)
	}

	do("opening the home page", chromedp.Navigate(srv.URL+"/"))
	assert.Equal(t, "Learn callbacks in Go by watching them happen", text("h1"))

	do("following the link to the article",
		chromedp.Click(`header.site a[href="/article/"]`), chromedp.WaitVisible("ol.index"))
	assert.Equal(t, "The article", text("h1"))

	do("opening the first page of the article",
		chromedp.Click(`ol.index li:first-child a`), chromedp.WaitVisible("article.doc"))
	assert.NotEmpty(t, text("article.doc h1"), "an article page has a title")

	do("following the link to the lessons",
		chromedp.Click(`header.site a[href="/lessons/"]`), chromedp.WaitVisible("ol.lessons"))
	assert.Equal(t, "Lessons", text("h1"))

	do("opening lesson 1",
		chromedp.Click(`ol.lessons li:first-child a`), chromedp.WaitVisible("article.lesson"))
	assert.Equal(t, all[0].Title, text("article.lesson h1"))
	hints, err := chromedp.Run(b.Ctx, chromedp.Evaluate[int](
		`document.querySelectorAll("details.hint").length`))
	require.NoError(t, err)
	assert.Len(t, all[0].Hints, hints, "each hint of lesson 1 is folded into its own <details>")

	do("pressing the right arrow key for the next lesson",
		chromedp.KeyEvent(kb.ArrowRight), chromedp.WaitVisible("article.lesson"))
	loc, err := chromedp.Run(b.Ctx, chromedp.Location())
	require.NoError(t, err)
	assert.Equal(t, srv.URL+"/lessons/"+all[1].Dir, loc, "→ goes to the next lesson")

	assert.Empty(t, b.Errors(), "the pages must not log errors to the browser console")
}
