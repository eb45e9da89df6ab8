package pass

import "testing"

func TestDouble(t *testing.T) {
	if got := Double(2); got != 4 {
		t.Errorf("Double(2) = %d, want 4", got)
	}
}

func TestDoubleZero(t *testing.T) {
	t.Run("zero", func(t *testing.T) {
		if Double(0) != 0 {
			t.Error("Double(0) is not 0")
		}
	})
}
