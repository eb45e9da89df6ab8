package panicky

import "testing"

func TestFirst(t *testing.T) {}

func TestCall(t *testing.T) { Call(func() {}) }

func TestAfter(t *testing.T) {}
