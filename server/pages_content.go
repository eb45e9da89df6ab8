package server

import (
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"callbacklab/lessons"
	"callbacklab/server/markdown"
)

// articlePage is one rendered page of the article.
type articlePage struct {
	Slug string
	Doc  markdown.Doc
	Src  []byte
}

// lessonPage is one rendered lesson.
type lessonPage struct {
	Lesson  lessons.Lesson
	Doc     markdown.Doc
	Summary template.HTML // the summary with its inline Markdown rendered
}

// Slug is the lesson's URL path element.
func (l lessonPage) Slug() string { return l.Lesson.Dir }

// loadArticle renders the article's pages and sorts them by their front matter order.
func (s *Server) loadArticle(fsys fs.FS) error {
	if fsys == nil {
		return nil
	}
	names, err := fs.Glob(fsys, "*.md")
	if err != nil {
		return fmt.Errorf("server: article: %w", err)
	}
	for _, name := range names {
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			return fmt.Errorf("server: article: %w", err)
		}
		doc, err := s.md.Render(src)
		if err != nil {
			return fmt.Errorf("server: article %s: %w", name, err)
		}
		if doc.Title == "" {
			return fmt.Errorf("server: article %s: no title in its front matter", name)
		}
		slug := strings.TrimSuffix(path.Base(name), ".md")
		s.article = append(s.article, articlePage{Slug: slug, Doc: doc, Src: src})
	}
	slices.SortStableFunc(s.article, func(a, b articlePage) int {
		if a.Doc.Order != b.Doc.Order {
			return a.Doc.Order - b.Doc.Order
		}
		return strings.Compare(a.Slug, b.Slug)
	})
	return nil
}

// loadLessons renders every lesson's README.
func (s *Server) loadLessons(all []lessons.Lesson) error {
	for _, l := range all {
		doc, err := s.md.Render(l.README, markdown.WithLinkResolver(lessonLinks(l)))
		if err != nil {
			return fmt.Errorf("server: lesson %s: %w", l.Dir, err)
		}
		summary, err := s.md.Render([]byte(l.Summary))
		if err != nil {
			return fmt.Errorf("server: lesson %s: %w", l.Dir, err)
		}
		s.lessons = append(s.lessons, lessonPage{Lesson: l, Doc: doc,
			Summary: inlineHTML(summary.HTML)})
	}
	return nil
}

// lessonFiles returns the files of a lesson that its page may link to, by their path in the
// lesson folder: the exercise files, the tests and the test data, never the solution.
func lessonFiles(l lessons.Lesson) map[string][]byte {
	files := map[string][]byte{}
	for _, m := range []map[string][]byte{l.Exercise, l.Tests, l.Testdata} {
		for name, b := range m {
			files[name] = b
		}
	}
	return files
}

// lessonLinks resolves the links a lesson's README makes to its own files (shown as pages
// under /lessons/NN-slug/files/) and to the lessons' folder ("../").
func lessonLinks(l lessons.Lesson) func(string) string {
	files := lessonFiles(l)
	return func(dest string) string {
		file, _, _ := strings.Cut(dest, "#")
		file = strings.TrimPrefix(file, "./")
		if file == "../" || file == ".." {
			return "/lessons/"
		}
		if _, ok := files[file]; ok {
			return fileURL(l, file)
		}
		return dest
	}
}

// fileURL is the address of the page that shows one file of a lesson.
func fileURL(l lessons.Lesson, name string) string {
	return "/lessons/" + l.Dir + "/files/" + name
}

// inlineHTML strips the paragraph around a one-paragraph rendering, for use inside a list.
func inlineHTML(h template.HTML) template.HTML {
	s := strings.TrimSpace(string(h))
	s = strings.TrimSuffix(strings.TrimPrefix(s, "<p>"), "</p>")
	return template.HTML(s) // already escaped by goldmark
}

// addLessonFiles prepares one page per file a lesson links to, showing the file as shipped.
// Highlighting every test file costs more than the rest of the site together, and few are
// ever opened, so each page is rendered on its first request and kept.
func (s *Server) addLessonFiles() {
	for _, lp := range s.lessons {
		files := lessonFiles(lp.Lesson)
		for name, b := range files {
			s.lazy[fileURL(lp.Lesson, name)] = &lazyPage{render: func() (*page, error) {
				return s.renderLessonFile(lp, name, b)
			}}
		}
	}
}

// renderLessonFile renders the page of one lesson file.
func (s *Server) renderLessonFile(lp lessonPage, name string, b []byte) (*page, error) {
	lang := "text"
	if strings.HasSuffix(name, ".go") {
		lang = "go"
	}
	fence := strings.Repeat("`", max(3, longestRun(b, '`')+1))
	doc, err := s.md.Render([]byte(fence + lang + "\n" + string(b) + "\n" + fence + "\n"))
	if err != nil {
		return nil, fmt.Errorf("server: lesson %s: %s: %w", lp.Lesson.Dir, name, err)
	}
	html, err := s.tmpl.render("file", pageData{
		Title: "lessons/" + lp.Lesson.Dir + "/" + name, Nav: "lessons", Body: doc.HTML,
		Data: fileView{Lesson: lp, Name: name},
	})
	if err != nil {
		return nil, err
	}
	return newPage(html, "text/html; charset=utf-8", "no-cache"), nil
}

// lazyPage is a page rendered on its first request.
type lazyPage struct {
	once   sync.Once
	render func() (*page, error)
	p      *page
	err    error
}

func (l *lazyPage) get() (*page, error) {
	l.once.Do(func() { l.p, l.err = l.render() })
	return l.p, l.err
}

// fileView is what the page of one lesson file shows besides the file.
type fileView struct {
	Lesson lessonPage
	Name   string
}

// longestRun returns the length of the longest run of c in b.
func longestRun(b []byte, c byte) int {
	longest, run := 0, 0
	for _, x := range b {
		if x != c {
			run = 0
			continue
		}
		run++
		longest = max(longest, run)
	}
	return longest
}

// Markdown returns the source of every Markdown page the app shows, keyed by its URL path,
// for pages that gather things from all of them (such as the list of diagrams).
func (s *Server) Markdown() map[string][]byte {
	m := map[string][]byte{}
	for _, a := range s.article {
		m["/article/"+a.Slug] = a.Src
	}
	for _, l := range s.lessons {
		m["/lessons/"+l.Slug()] = l.Lesson.README
	}
	return m
}

// renderPages renders every page of the site that does not change while it runs.
func (s *Server) renderPages() error {
	add := func(urlPath, tmpl string, d pageData) error {
		b, err := s.tmpl.render(tmpl, d)
		if err != nil {
			return err
		}
		s.pages[urlPath] = newPage(b, "text/html; charset=utf-8", "no-cache")
		return nil
	}

	if err := add("/", "home", pageData{Title: "callbacklab", Data: s.homeData()}); err != nil {
		return err
	}
	if err := add("/article/", "article_index", pageData{
		Title: "The article", Nav: "article", Data: s.article,
	}); err != nil {
		return err
	}
	for i, a := range s.article {
		d := docData(a.Doc)
		d.Nav = "article"
		if i > 0 {
			d.Prev = &link{"/article/" + s.article[i-1].Slug, s.article[i-1].Doc.Title}
		}
		if i+1 < len(s.article) {
			d.Next = &link{"/article/" + s.article[i+1].Slug, s.article[i+1].Doc.Title}
		}
		if err := add("/article/"+a.Slug, "doc", d); err != nil {
			return err
		}
	}
	if err := add("/lessons/", "lessons_index", pageData{
		Title: "Lessons", Nav: "lessons", Data: s.lessons,
	}); err != nil {
		return err
	}
	for i, l := range s.lessons {
		d := docData(l.Doc)
		d.Nav = "lessons"
		d.Data = l
		d.Live = s.progress != nil
		if i > 0 {
			d.Prev = &link{"/lessons/" + s.lessons[i-1].Slug(), s.lessons[i-1].Doc.Title}
		}
		if i+1 < len(s.lessons) {
			d.Next = &link{"/lessons/" + s.lessons[i+1].Slug(), s.lessons[i+1].Doc.Title}
		}
		if err := add("/lessons/"+l.Slug(), "lesson", d); err != nil {
			return err
		}
	}

	s.addLessonFiles()

	nf, err := s.tmpl.render("notfound", pageData{Title: "Page not found"})
	if err != nil {
		return err
	}
	s.notFound = newPage(nf, "text/html; charset=utf-8", "no-store")
	return nil
}

// docData is the page data of a rendered Markdown document.
func docData(doc markdown.Doc) pageData {
	d := pageData{Title: doc.Title, Summary: doc.Summary, Body: doc.HTML}
	if len(doc.TOC) >= 3 {
		for _, h := range doc.TOC {
			d.TOC = append(d.TOC, tocEntry{Level: h.Level, ID: h.ID, Text: h.Text})
		}
	}
	return d
}

// homeData is what the home page shows: where to start.
type homeData struct {
	FirstArticle *articlePage
	FirstLesson  *lessonPage
	Lessons      int
	Pages        int
}

func (s *Server) homeData() homeData {
	h := homeData{Lessons: len(s.lessons), Pages: len(s.article)}
	if len(s.article) > 0 {
		h.FirstArticle = &s.article[0]
	}
	if len(s.lessons) > 0 {
		h.FirstLesson = &s.lessons[0]
	}
	return h
}
