// Package trace records every HTTP exchange of the simulated world, so that
// the playground can draw it as a Mermaid sequence diagram.
//
// # Hops and journeys
//
// A [Hop] is one request and its response between two participants, such as
// the browser and the travel site, or book_ticket and the travel site's
// callback receiver. Hops are grouped into a [Journey]: everything that
// happened on behalf of one traveller's browser, from the first page to the
// booking's outcome.
//
// # Where hops come from
//
// Two pieces feed a [Recorder]:
//
//   - [Recorder.Middleware] wraps a service's handler and records requests
//     that come from the browser (they carry no journey header);
//   - [Recorder.Transport] wraps an outgoing [http.RoundTripper] and records
//     back-channel requests, adding the journey header so that the receiving
//     service knows which journey it is serving.
//
// The journey of a browser is named by a cookie ([JourneyCookie]) that the
// travel site (or the web app's /sim page) sets; a request that arrives
// without it gets the cookie but is not recorded, so clients that drop
// cookies start no journeys. The journey of back-channel work travels in the
// request context ([WithJourney], [JourneyFrom]) and, between services, in
// the [JourneyHeader] header, signed by the recorder so that a browser
// cannot send one. Recorded paths and redirect targets show secret
// parameters (code, state, tokens) as "code=…".
//
// A hop's request arrow is placed when the request arrives and its answer
// arrow when the answer is complete, so the calls a service makes while it
// serves a request are drawn between the two.
//
// # Bounds
//
// A Recorder keeps at most [Config.MaxJourneys] journeys and
// [Config.MaxHops] hops per journey; the least recently active journeys are
// forgotten first and extra hops are counted but not kept, so a
// long-running playground uses bounded memory.
//
// # Mermaid
//
// [Journey.Mermaid] writes a sequenceDiagram whose participant ids are plain
// identifiers and whose labels are escaped for Mermaid's lexer: ";" becomes
// "#59;", "#" becomes "#35;", line breaks are removed and long labels are
// cut.
package trace
