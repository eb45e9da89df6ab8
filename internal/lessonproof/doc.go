// Package lessonproof proves that callbacklab's lesson set holds together. Its tests, run by
// `make test`, check every lesson folder under lessons/ as it is found, with no list to keep
// up to date:
//
//   - every reference solution passes its lesson's tests with -race -count=3 -shuffle=on,
//     checked in place with the go tool's -overlay flag;
//   - every untouched stub compiles, is vet clean, and fails every test of its lesson, fast;
//   - every README has a title, a summary, a task and three hints, titles and package names
//     are unique, and each stub declares the same exported API as its solution;
//   - every Go code block in the lesson pages and the article compiles, or is quoted verbatim
//     from a file of the project, so text and code cannot drift apart.
//
// The non-test files hold the parts of the proof that are worth testing on their own: the
// Markdown code-block reader and the exported-API summary.
package lessonproof
