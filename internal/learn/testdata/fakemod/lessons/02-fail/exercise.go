// Package fail is a fake lesson whose tests fail.
package fail

// Greet returns a greeting for name.
func Greet(name string) string { return "" }
