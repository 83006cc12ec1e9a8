package filter

import "testing"

// TestRowState checks that rowState's multiplication gives back the state
// of every row offset a dense table can hold, for every stride (symbols
// plus 2) a dense table can have.
func TestRowState(t *testing.T) {
	for stride := 2; stride <= denseLimit; stride += 1 + stride/8 {
		a := automaton{stride: stride, rowMul: rowMulOf(stride)}
		for s := 0; s*stride < denseLimit; s++ {
			if got := a.rowState(int32(s * stride)); got != int32(s) {
				t.Fatalf("stride %d: rowState(%d) = %d, want %d", stride, s*stride, got, s)
			}
		}
	}
}
