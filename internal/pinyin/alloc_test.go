//go:build !race

package pinyin_test

import (
	"testing"

	"github.com/wordfilter/wordfilter/internal/pinyin"
)

func TestAllocations(t *testing.T) {
	f := func(name string, fn func()) {
		t.Helper()
		if got := testing.AllocsPerRun(100, fn); got != 0 {
			t.Errorf("%s: %v allocations, want 0", name, got)
		}
	}
	var sink int
	f("Readings", func() {
		for _, r := range "法轮功行了的绿a😀" {
			sink += len(pinyin.Readings(r))
		}
	})
	f("HasReadings", func() {
		if pinyin.HasReadings('法') {
			sink++
		}
	})
	f("Next/Ends", func() {
		st := pinyin.Start()
		for i := range len("zhuang") {
			st, _ = st.Next("zhuang"[i])
			sink += len(st.Ends())
		}
	})
	f("String", func() { sink += len(pinyin.Syllable(1).String()) })
	f("Parse", func() {
		s, _ := pinyin.Parse("zhuang")
		sink += int(s)
	})
	_ = sink
}
