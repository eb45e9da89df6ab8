// Package sim assembles the simulated world of callbacklab: the mock
// identity providers (package idp), the travel site (package travel), the
// asynchronous booking service book_ticket (package booking) and the trace
// recorder that watches every exchange between them (package trace).
//
// # Building a world
//
// [New] builds a [World] from a [Config]. Each service is an
// [http.Handler], already wrapped so that its exchanges are traced:
//
//	Travel()   at the root of WebOrigin: /travel, /travel/..., /auth/callback
//	           and /booking/callback
//	IDP()      at the root of IDPOrigin: /google/... and /facebook/...
//	Booking()  at the root of BookingOrigin: /bookings and /bookings/{id}
//
// The web app serves the three on their own listeners; book_ticket's
// callbacks then go through its SSRF-guarded dialer, which allows only the
// web app's own address. With Config.InMemory, every request goes through
// the [InMemory] transport instead: no listener, no network, and under
// testing/synctest no real time. [World.Browser] drives such a world the way
// a traveller's browser does.
//
// # The control panel
//
// [World.Scenarios] lists the scenarios, each with one sentence on what it
// shows, and [World.SetScenario] switches between them; [World.SetQuirk]
// flips the providers' quirk switches. [World.LoginCSRFURL] and
// [travel.Site.LastSignInURL] give the links the login CSRF and code replay
// scenarios ask the traveller to open.
//
// # Traces
//
// [World.Traces] returns the recorder: [trace.Recorder.Subscribe] reports
// each new hop, and [trace.Journey.Mermaid] writes a journey as a Mermaid
// sequence diagram.
package sim
