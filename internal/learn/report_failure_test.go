package learn

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
)

func TestShortenTestify(t *testing.T) {
	// Output of a real testify failure in lesson 1, as the parser keeps it.
	tally := []string{
		"callbacks_test.go:190:",
		"    \tError Trace:\tlessons/01-first-callbacks/callbacks_test.go:190",
		"    \tError:      \tNot equal:",
		"    \t            \texpected: [2]int{3, 2}",
		"    \t            \tactual  : [2]int{0, 0}",
		"",
		"    \t            \tDiff:",
		"    \t            \t--- Expected",
		"    \t            \t+++ Actual",
		"    \t            \t@@ -1,4 +1,4 @@",
		"    \t            \t- (int) 3,",
		"    \tTest:       \tTestTally",
		"    \tMessages:   \tcounts must return (3, 2)",
	}
	multi := []string{
		"x_test.go:9:",
		"    \tError Trace:\tx_test.go:9",
		"    \tError:      \tNot equal:",
		"    \t            \texpected: booking.Booking{",
		"    \t            \t  Name: \"Ana\",",
		"    \t            \t}",
		"    \t            \tactual  : booking.Booking{}",
		"    \t            \tDiff:",
		"    \t            \t-  Name: \"Ana\",",
		"    \tTest:       \tTestX",
		"plain line after the block",
	}
	tests := []struct {
		name   string
		in     []string
		want   []string
		reason string
	}{
		{
			name: "oneLineValuesDropTheDiff",
			in:   tally,
			want: []string{
				"callbacks_test.go:190: counts must return (3, 2)",
				"    Not equal:",
				"    expected: [2]int{3, 2}",
				"    actual  : [2]int{0, 0}",
			},
			reason: "the message joins the place; the diff would repeat expected and actual",
		},
		{
			name: "multiLineValuesKeepTheDiff",
			in:   multi,
			want: []string{
				"x_test.go:9:",
				"    Not equal:",
				"    expected: booking.Booking{",
				"      Name: \"Ana\",",
				"    }",
				"    actual  : booking.Booking{}",
				"    Diff:",
				"    -  Name: \"Ana\",",
				"plain line after the block",
			},
			reason: "for values over several lines the diff is what shows the difference",
		},
		{
			name:   "plainOutputPassesThrough",
			in:     []string{"x_test.go:3: Greet(\"Ada\") = \"\", want \"Hello, Ada!\""},
			want:   []string{"x_test.go:3: Greet(\"Ada\") = \"\", want \"Hello, Ada!\""},
			reason: "t.Errorf output is already short",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Shorten(TestResult{Status: TestFailed, Output: tt.in})
			assert.Empty(t, cmp.Diff(tt.want, got), "%s (-want +got)", tt.reason)
		})
	}
}
