// Package nocompile is a fake lesson that does not compile.
package nocompile

// Count returns the number of calls.
func Count() int { return undefinedThing + 1 }
