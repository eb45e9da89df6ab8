// Package panicky is a fake lesson whose code panics.
package panicky

// Call calls f.
func Call(f func()) { var m map[string]int; m["x"] = 1 }
