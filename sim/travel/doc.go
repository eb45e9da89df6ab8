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
// for OpenID Connect, a nonce. Pressing Book while signed out keeps the
// filled-in form on the server and returns to it after signing in.
//
// # Receiving callbacks
//
// /booking/callback verifies the Standard Webhooks signature and the
// timestamp window, records each webhook-id once, answers 204 at once and
// does the work afterwards: it updates the booking and pushes the outcome to
// the traveller's open pages over Server-Sent Events.
package travel
