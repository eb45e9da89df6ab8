// Package idp runs two mock identity providers for the sign-in lessons and
// the simulated travel site: "Google (mock)", an OpenID Connect provider, and
// "Facebook (mock)", a plain OAuth 2.0 provider with a profile endpoint.
//
// # What a learner sees
//
// When the travel site sends the browser to sign in, the learner lands on a
// page labelled "Google (mock)" or "Facebook (mock)". It offers a few
// personas (Alice, Bob, ...) with pictures drawn as initials, or a small form
// to enter custom claims. After choosing, a consent page names the site and
// the scopes it asked for; the learner can allow or decline. The provider
// then redirects back to the site's registered callback with a code, or with
// an error such as access_denied.
//
// # Strict by default
//
// Both providers follow the specifications closely, so that a client which
// works here has learnt the right lessons:
//
//   - redirect URIs are compared exactly; a mismatch shows an error page and
//     never redirects;
//   - PKCE is required unless a client is registered with PKCEOptional;
//   - codes live 60 seconds and work once; replaying one revokes the tokens
//     issued from it;
//   - errors use the formats of RFC 6749 (authorization and token endpoints)
//     and RFC 6750 (bearer tokens), with the right status codes and headers;
//   - the authorization response carries iss (RFC 9207);
//   - ID tokens are signed with RS256 and a kid that the JWKS publishes.
//
// # Quirks
//
// Real providers are not always so polite. [Quirks] holds named switches,
// all off by default, that make one provider misbehave in one specific way,
// for example sending expires_in as a string. A control panel can list them
// with [QuirkSwitches] and flip them with [Server.SetQuirks].
//
// # Routes
//
// Below the base URL, such as http://127.0.0.1:8081:
//
//	/google/.well-known/openid-configuration   discovery
//	/google/jwks                               public signing keys
//	/google/authorize                          authorization endpoint (GET, POST)
//	/google/token                              token endpoint (POST)
//	/google/userinfo                           userinfo (Bearer)
//	/facebook/dialog/oauth                     authorization endpoint (GET)
//	/facebook/oauth/access_token               token endpoint (POST)
//	/facebook/me?fields=id,name,email,picture  profile (Bearer)
//
// Each provider also serves its pages (/signin, /consent) and pictures
// (/avatar/AM.svg). The login session is a cookie on the provider's path.
//
// An unknown path or a wrong method gets the provider's own error page for
// the routes a browser opens, and JSON in the provider's style for the API
// routes; a 405 always names the working methods in Allow.
//
// # Limits
//
// Sign-ins in progress, login sessions, codes and tokens are kept in memory,
// each kind bounded in number as well as in time. When one is full, the
// oldest entry makes room for the new one, so that a flood of requests
// cannot lock real users out. The sign-in and consent forms take URL-encoded
// bodies of at most 16 KiB; custom claims may not contain control,
// bidirectional-override or invisible characters.
//
// # Wiring
//
// [New] returns a [Server], an [http.Handler] serving /google/... and
// /facebook/... on one origin. Every exchange goes through that handler, so
// wrapping it in middleware records all of them. [InMemoryTransport] calls a
// handler without a network, for tests and for the simulation.
package idp
