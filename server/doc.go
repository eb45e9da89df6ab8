// Package server is callbacklab's web app: the home page, the article, the lessons, and the
// pages that later parts add (diagrams, the simulation, live progress, the workshop view).
//
// # Pages
//
// [New] renders every Markdown page once, at start-up, and keeps the bytes in memory with a
// strong ETag, so a page costs a map look-up and a write. Templates and static assets are
// embedded; nothing is loaded from the network, so the app works offline.
//
// # Errors
//
// Every error page comes from one place, Server.serveError. An [HTTPError] carries the status
// and the message the visitor sees; any other error is logged and shown as a plain "something
// went wrong" page, never with its details.
package server
