// Package learn gives a learner feedback on the lessons: it runs their tests, follows their
// progress and shows where they stand and what to do next.
//
// # Running tests
//
// A [Runner] runs `go test -json` on lesson folders, with a -timeout so an endless loop
// ends as a result rather than a hang, and cancels a run by killing the go command together
// with its test binaries. [ParseGoTestJSON] (and the runner, line by line) turns the event
// stream into per-package, per-test results: passes, failures with their output, skips,
// build errors, panics and timeouts. A package's failures ([PackageResult.Failed]) come in
// the order its tests are declared, whatever order parallel tests finish in, so the first
// failure a learner reads is the first task's. A timeout must be more than zero
// ([CheckTimeout]): `go test` takes zero or less as "no limit".
//
// # Progress and subscribers
//
// A [Tracker] holds the [Progress] of every lesson. The runner updates it as each lesson's
// package finishes. Anyone may observe it:
//
//	ch, unsubscribe := tracker.Subscribe()
//	defer unsubscribe()
//	for p := range ch {
//		// p is a private copy: p.Done(), p.Next(), p.Lessons[i].State, ...
//	}
//
// The channel receives the current progress at once and then every change, with
// latest-value semantics: a slow subscriber misses intermediate values but never blocks the
// runner. A workshop reporter should send only a lesson's number, [State],
// [LessonState.FirstFailure] and times, never test output, which may quote code and paths.
//
// # Watching
//
// A [FileWatch] reports saves of lesson files in batches, from fsnotify events on the lesson
// folders or, with Poll, by comparing file times; a [Watch] re-runs the saved lesson first
// and the others after. A save is any write, even of unchanged content, and a new
// modification time alone (`touch`), so every save the learner makes gets a run; a change
// of permissions alone is not a save. [Watch.First] names the lessons a full run takes
// first, the ones the learner asked about.
//
// # Showing
//
// [WriteReport] draws the progress for a terminal, with colours, or as plain lines. With
// [TermOptions.Only] it reports on the lessons the learner named ("check 9"): it counts only
// them and its "Next:" line points at the first of them that is not done. Every
// command a message suggests starts with [TermOptions.Command] (or [Runner.Command]), so a
// learner who runs `go run .` reads "go run . hint 1" rather than a command they lack. Errors
// meant for the learner ([ErrNoWorkspace], [LessonByKey]'s) carry no package prefix: the
// command line puts "callbacklab: " in front of them.
// [HintStore] hands out a lesson's hints one tier at a time and [PlanReset] restores a
// lesson's files, keeping a backup of the learner's.
package learn
