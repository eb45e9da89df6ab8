// Package sim assembles the simulated world of callbacklab: the mock
// identity providers (package idp), the travel site (package travel), the
// asynchronous booking service book_ticket (package booking) and the trace
// recorder that watches every exchange between them (package trace).
//
// [New] builds a [World] from a [Config]. Each service is an
// [http.Handler]; the web app serves them on their own listeners, and tests
// run them all in one process through the [InMemory] transport, with no
// listener and, under testing/synctest, no real time.
package sim
