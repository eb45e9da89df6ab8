// Package travel is Callback Travel, the simulated travel site: a booking
// form, sign-in with the mock identity providers, and live booking outcomes
// that arrive through book_ticket's signed callbacks.
//
// # Routes
//
// [New] returns a [Site], an [http.Handler] meant to be served at the root
// of its origin (Config.Origin):
//
//	GET  /travel                    the booking form and the live outcome
//	POST /travel/book               book (signs in first when signed out)
//	GET  /travel/bookings           "My bookings"
//	GET  /travel/signin             choose a provider
//	GET  /travel/signin/{provider}  start signing in (state, PKCE, nonce)
//	POST /travel/signout            sign out
//	GET  /travel/events             Server-Sent Events with booking outcomes
//	GET  /travel/static/...         the page's script and style
//	GET  /auth/callback             the OAuth redirect URI
//	POST /booking/callback          book_ticket's webhook receiver
//
// # Signing in
//
// The site uses golang.org/x/oauth2 for both providers and go-oidc to
// verify Google (mock)'s ID tokens. Each sign-in gets a fresh state (bound
// to the browser by an HttpOnly cookie and usable once), a PKCE verifier and,
// for OpenID Connect, a nonce. A response from an OpenID provider must name
// it in iss (RFC 9207). At most 1,000 sign-ins may be in progress; one more
// forgets the oldest. Pressing Book while signed out checks the form first,
// then keeps it on the server for ten minutes (at most 1,000 drafts) and
// returns to it after signing in.
//
// # Requests the site accepts
//
// Every request must name the configured origin's host (a guard against DNS
// rebinding), and every POST from a browser must carry an Origin header, or
// a Referer when there is none, equal to the configured origin: SameSite
// cookies alone do not stop a page on another port of 127.0.0.1. Forms are
// read as application/x-www-form-urlencoded only, at most 8 KiB, each field
// once, so nothing is ever written to a temporary file. Unknown pages, wrong
// methods and refused requests get friendly HTML pages.
//
// # Receiving callbacks
//
// /booking/callback verifies the Standard Webhooks signature and the
// timestamp window, records each webhook-id once, answers 204 at once and
// does the work afterwards: it updates the booking and pushes the outcome to
// the traveller's open pages over Server-Sent Events.
package travel
