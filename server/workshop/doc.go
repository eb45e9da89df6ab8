// Package workshop is callbacklab's workshop mode: an instructor runs
// "callbacklab serve --workshop" and sees, live, where every learner in the room stands.
//
// # Consent and what is shared
//
// Learners opt in with "callbacklab watch --join URL --code CODE --name NAME". Their
// [Reporter] then sends a [Status] only: for each lesson, its state (done, failing, does not
// compile, timed out), the name of the first failing test and when the run ended. It never
// sends code, file paths or test output. [Disclosure] is the text a learner is shown when
// joining.
//
// # The room
//
// A [Room] holds the join code, the instructor token, the learners and what the instructor
// has unlocked for everyone. It is pure logic with an injected clock; a [Store] writes it to a
// JSON file atomically, so the room survives a restart of the instructor's server and learners
// reconnect by themselves with the tokens they already hold.
//
// # The protocol
//
// [Handler] serves, under /workshop:
//
//	POST /workshop/api/join    {"code","name"} -> {"id","token","name","unlocked"}
//	POST /workshop/api/report  Authorization: Bearer TOKEN, a Status -> {"unlocked"}
//	GET  /workshop             the instructor's page (token in ?token= once, then a cookie)
//	GET  /workshop/events      server-sent events with the room's view, for that page
//	GET  /workshop/api/room    the room's view as JSON (instructor)
//	POST /workshop/api/unlock  {"lesson","what":"hint"|"solution"} (instructor)
//	POST /workshop/api/remove  {"id"} (instructor); the learner's reports then get 410
//	POST /workshop/api/newcode {"removeIdleMinutes","removeAddr"} (instructor) -> {"code",
//	                           "removed"}: a new join code, optionally removing learners
//
// Every error is JSON, {"error": "..."}, with a message a person can act on: 400 for a
// request to change, 401 for a learner token the room does not know (the reporter joins
// again), 403 for a wrong join code or instructor token, 410 for a removed learner, 413 for
// a body over the size limit, 409 when one address already holds its learners (3 by
// default) and 429 past the rate limits (60 reports a minute per learner, 30 joins a minute
// per address, by default).
//
// # Trust
//
// A learner does not trust the server it joins either: every text from it is printed through
// [SafeText], and unlocks are kept only for lesson numbers 1 to 99.
package workshop
