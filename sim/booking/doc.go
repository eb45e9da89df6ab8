// Package booking is book_ticket, the simulated world's asynchronous booking
// service, and the parts it sends callbacks with.
//
// # The service
//
// [New] returns a [Service], an [http.Handler] with two routes:
//
//	POST /bookings        take a booking; 202 with its id and status "pending"
//	GET  /bookings/{id}   report a booking's status and its callback delivery
//
// Callers are registered [Client]s that authenticate with a bearer token.
// Each booking names a callback URL, which must belong to one of the
// caller's registered origins. The service reserves a seat, takes payment
// and then POSTs the outcome (confirmed, payment failed or sold out) to the
// callback URL, signed as the Standard Webhooks specification describes.
//
// # Building blocks
//
// The pieces the service is made of work on their own, for lessons that
// receive or send webhooks:
//
//   - [Signer] signs and [Verifier] checks Standard Webhooks signatures;
//   - [Sender] delivers one message with retries, exponential backoff and
//     jitter, honouring Retry-After and 410 Gone, and never follows
//     redirects;
//   - [Guard] refuses callback URLs and connections that point at private,
//     loopback, link-local, unspecified or IPv4-mapped addresses unless they
//     are on its allow-list; [Guard.Client] is an [http.Client] whose dialer
//     enforces it.
//
// # Time
//
// Every timestamp comes from an injected clock, and every wait (the
// processing delay, the backoff between attempts) uses the time package's
// timers, so tests run the service inside testing/synctest with fake time.
package booking
