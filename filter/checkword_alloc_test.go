//go:build !race

package filter_test

import (
	"strings"
	"testing"

	"github.com/wordfilter/wordfilter/filter"
)

// TestCheckWordAllocations guards dict's loading, which checks every
// dictionary line with CheckWord: it must not allocate a key per line.
func TestCheckWordAllocations(t *testing.T) {
	for _, text := range []string{"法轮功", "f u c k", "ＦＵＣＫ ｙｏｕ", strings.Repeat("字", filter.MaxWordRunes), "┻┼"} {
		if got := testing.AllocsPerRun(100, func() { filter.CheckWord(text) }); got != 0 {
			t.Errorf("CheckWord(%.20q): %v allocations, want 0", text, got)
		}
	}
}
