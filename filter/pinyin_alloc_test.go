//go:build !race

package filter_test

import (
	"testing"

	"github.com/wordfilter/wordfilter/filter"
)

// TestPinyinAllocations checks that the pinyin reading allocates nothing
// for a clean text, also one where it reads Latin letters, pending
// characters and walkers that end without a match, nor for a match when
// dst has room.
func TestPinyinAllocations(t *testing.T) {
	m := filter.MustCompile([]filter.Word{
		{Text: "法轮功", Action: filter.Block},
		{Text: "操你妈", Action: filter.Mask},
		{Text: "傻逼", Action: filter.Mask},
	}, filter.Options{Policy: filter.Policy{Readings: filter.AllReadings, PinyinReview: true}})
	clean := "今天天气很好, let's go to the park 😀 ①ﬁ 法轮 falun 发轮 fa lun gon 草泥 sha 傻笔 ㈱ \xff"
	dirty := "发轮功 caonima 傻bi"
	dst := make([]filter.Match, 0, 8)
	f := func(name string, want float64, fn func()) {
		t.Helper()
		if got := testing.AllocsPerRun(100, fn); got != want {
			t.Errorf("%s: %v allocations, want %v", name, got, want)
		}
	}
	if ms := m.AppendMatches(nil, clean); len(ms) != 0 {
		t.Fatalf("AppendMatches(%q) = %v, want none", clean, ms)
	}
	if ms := m.AppendMatches(nil, dirty); len(ms) != 3 {
		t.Fatalf("AppendMatches(%q) = %v, want 3 matches", dirty, ms)
	}
	f("Contains(clean)", 0, func() { m.Contains(clean) })
	f("AppendMatches(clean)", 0, func() { m.AppendMatches(dst[:0], clean) })
	f("Filter(clean, nil dst)", 0, func() { m.Filter(nil, clean) })
	f("Contains(dirty)", 0, func() { m.Contains(dirty) })
	f("AppendMatches(dirty) with room", 0, func() { m.AppendMatches(dst[:0], dirty) })
	f("Filter(dirty) with room", 0, func() { m.Filter(dst[:0], dirty) }) // review matches: nothing masked
}
