package filter_test

import (
	"testing"

	"github.com/wordfilter/wordfilter/filter"
)

// BenchmarkCompileReadings is BenchmarkCompile with every reading on, as a
// folder without settings compiles (the pinyin reading builds its trie of
// syllable keys then): time, what the Matcher holds (MB: MemoryUsage;
// heapMB: the live heap it adds) and what building allocated.
func BenchmarkCompileReadings(b *testing.B) {
	for _, set := range benchSets {
		b.Run(set.dict, func(b *testing.B) {
			ws := dictWords(b, set.dict)
			words := make([]filter.Word, len(ws))
			for i, w := range ws {
				words[i] = filter.Word{Text: w, Category: set.dict, Action: filter.Mask}
			}
			opts := filter.Options{Policy: filter.Policy{Readings: filter.AllReadings, PinyinReview: true}}
			filter.CheckWord("") // build the shared normalisation tables first
			filter.MustCompile(words[:1], opts)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				filter.MustCompile(words, opts)
			}
			b.StopTimer()
			before := heapAlloc()
			m := filter.MustCompile(words, opts)
			after := heapAlloc()
			b.ReportMetric(float64(after-before)/1e6, "heapMB")
			b.ReportMetric(float64(m.MemoryUsage())/1e6, "MB")
		})
	}
}
