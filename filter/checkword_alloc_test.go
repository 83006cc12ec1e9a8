//go:build !race

package filter_test

import (
	"strings"
	"testing"

	"github.com/wordfilter/wordfilter/filter"
)

// TestCheckWordAllocations guards the callers that check many words with
// CheckWord (Compile after a refused word, dict for a folder refused
// before compiling, and for variant forms): it must not allocate a key
// per word.
func TestCheckWordAllocations(t *testing.T) {
	for _, text := range []string{"法轮功", "f u c k", "ＦＵＣＫ ｙｏｕ", strings.Repeat("字", filter.MaxWordRunes), "┻┼"} {
		if got := testing.AllocsPerRun(100, func() { filter.CheckWord(text) }); got != 0 {
			t.Errorf("CheckWord(%.20q): %v allocations, want 0", text, got)
		}
	}
}
