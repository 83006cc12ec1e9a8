//go:build !race

package filter_test

import (
	"testing"

	"github.com/wordfilter/wordfilter/filter"
)

func TestAllocations(t *testing.T) {
	m := filter.MustCompile([]filter.Word{
		{Text: "法轮功", Action: filter.Block},
		{Text: "fuck", Action: filter.Mask},
		{Text: "中共", Action: filter.Review},
	}, filter.Options{Allow: []string{"曹操"}})
	clean := "今天天气很好, let's go to the park 😀 ①ﬁ"
	dirty := "fuck 法 轮 功 中共"
	dst := make([]filter.Match, 0, 8)
	f := func(name string, want float64, fn func()) {
		t.Helper()
		if got := testing.AllocsPerRun(100, fn); got != want {
			t.Errorf("%s: %v allocations, want %v", name, got, want)
		}
	}
	f("Contains(clean)", 0, func() { m.Contains(clean) })
	f("Contains(dirty)", 0, func() { m.Contains(dirty) })
	f("AppendMatches(clean)", 0, func() { m.AppendMatches(dst[:0], clean) })
	f("AppendMatches(dirty) with room", 0, func() { m.AppendMatches(dst[:0], dirty) })
	f("Filter(clean)", 0, func() { m.Filter(dst[:0], clean) })
	f("Filter(clean, nil dst)", 0, func() { m.Filter(nil, clean) })
	f("Filter(dirty)", 1, func() { m.Filter(dst[:0], dirty) })
	f("Replace(clean)", 0, func() { m.Replace(clean) })
}

// TestAllocationsWithReadings: with every variant reading on, a text with
// no match allocates nothing, triggers or not (a digit, a symbol, a
// look-alike, a repeat, a variant form's first character), and neither
// does a variant match when dst has room.
func TestAllocationsWithReadings(t *testing.T) {
	m := filter.MustCompile([]filter.Word{
		{Text: "法轮功", Action: filter.Block},
		{Text: "fuck", Action: filter.Mask},
		{Text: "coño", Action: filter.Mask},
	}, filter.Options{Allow: []string{"曹操"}, Policy: filter.Policy{Readings: filter.AllReadings},
		Variants: []filter.Variant{{Canonical: "法", Forms: []string{"氵去"}}}})
	dst := make([]filter.Match, 0, 8)
	for _, text := range []string{
		"今天天气很好, let's go to the park 😀 ①ﬁ",
		"hello 2024! good cook $5 @home | ok",
		"哈哈哈 氵水 сold ƒun año con\u0303", // triggers that find nothing
	} {
		if got := testing.AllocsPerRun(100, func() { m.Filter(dst[:0], text) }); got != 0 {
			t.Errorf("Filter(%q): %v allocations, want 0", text, got)
		}
	}
	for _, text := range []string{"fuuuck sh1t fu\u0441k", "氵去轮功"} {
		if got := testing.AllocsPerRun(100, func() { m.AppendMatches(dst[:0], text) }); got != 0 {
			t.Errorf("AppendMatches(%q): %v allocations, want 0", text, got)
		}
		if len(m.AppendMatches(dst[:0], text)) == 0 {
			t.Errorf("AppendMatches(%q) found nothing", text)
		}
	}
}

func TestAppendMaskedAllocations(t *testing.T) {
	m := filter.MustCompile([]filter.Word{{Text: "fuck", Action: filter.Mask}}, filter.Options{})
	text := "oh fuck it"
	ms := make([]filter.Match, 0, 4)
	buf := make([]byte, 0, 64)
	if got := testing.AllocsPerRun(100, func() {
		ms = m.AppendMatches(ms[:0], text)
		if m.Decision(ms) > filter.Review {
			buf = m.AppendMasked(buf[:0], text, ms)
		}
	}); got != 0 {
		t.Errorf("AppendMatches+AppendMasked: %v allocations, want 0", got)
	}
	if string(buf) != "oh **** it" {
		t.Errorf("AppendMasked = %q, want %q", buf, "oh **** it")
	}
}
