package diagram

import (
	"bytes"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withMaxBytes lowers the size limit of the SVG, so tests can reach it with
// small diagrams.
func withMaxBytes(n int) Option {
	return func(c *renderConfig) { c.maxBytes = n }
}

func TestRenderTooLarge(t *testing.T) {
	d, err := Parse([]byte(lines("sequenceDiagram\n", "A->>B: a message of some length", 200)))
	require.NoError(t, err, "the test diagram should parse")

	var full bytes.Buffer
	require.NoError(t, Render(d, &full), "200 messages are well within the limit")

	tests := []struct {
		name  string
		limit int
	}{
		{name: "FarBelow", limit: 4 << 10},
		{name: "JustBelow", limit: full.Len() - 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := Render(d, &out, withMaxBytes(tt.limit))
			assert.True(t, errors.Is(err, ErrTooLarge),
				"a drawing over the limit should fail with ErrTooLarge, got %v", err)
			assert.Zero(t, out.Len(), "nothing, not a truncated SVG, should be written")
		})
	}

	var exact bytes.Buffer
	require.NoError(t, Render(d, &exact, withMaxBytes(full.Len())),
		"a drawing of exactly the limit is allowed")
	assert.Equal(t, full.Bytes(), exact.Bytes(), "the limit should not change the drawing")
}

func TestRenderLimitFitsLargestBenchmark(t *testing.T) {
	if testing.Short() {
		t.Skip("draws 10,000 messages")
	}
	svg, err := RenderSVG(benchDiagram(maxMessages))
	require.NoError(t, err, "the largest benchmark diagram should be within every limit")
	assert.Less(t, len(svg), maxSVGBytes, "and within the size limit")
}
