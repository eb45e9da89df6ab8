// Package block is a fake lesson whose test blocks forever.
package block

// Block never returns.
func Block() { select {} }
