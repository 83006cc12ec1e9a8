package filter_test

import (
	"runtime"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wordfilter/wordfilter/filter"
)

// nestedWords returns unit repeated 1 to n times as Mask words: every
// position of a long run of unit ends a candidate of each length, the
// worst case for the candidate list of a scan.
func nestedWords(unit string, n int) []filter.Word {
	words := make([]filter.Word, n)
	for k := range n {
		words[k] = filter.Word{Text: strings.Repeat(unit, k+1), Category: "nested", Action: filter.Mask}
	}
	return words
}

// nestedPhrases returns unit repeated lo to hi times.
func nestedPhrases(unit string, lo, hi int) []string {
	var ps []string
	for k := lo; k <= hi; k++ {
		ps = append(ps, strings.Repeat(unit, k))
	}
	return ps
}

// repeatTo returns unit repeated to about size bytes.
func repeatTo(unit string, size int) string { return strings.Repeat(unit, size/len(unit)) }

// nestedCase is a dictionary of nested words and a text that holds a
// candidate of each of them at almost every position.
type nestedCase struct {
	name  string
	words []filter.Word
	allow []string
	unit  string // the text is unit repeated
}

var nestedCases = []nestedCase{
	// 一 ×1..128: up to 128 candidates end at each of the 349,525 一 of 1 MiB.
	{name: "cjk", words: nestedWords("一", filter.MaxWordRunes), unit: "一"},
	// The same with nested allow phrases: as many allow occurrences, which
	// suppress the shorter words; the 128-character ones remain.
	{name: "cjk+allow", words: nestedWords("一", filter.MaxWordRunes), allow: nestedPhrases("一", 2, 64), unit: "一"},
	// Latin words pass their boundary checks when a separator follows
	// each letter: "a a a a ..." (each candidate waits for its right
	// boundary before it is kept).
	{name: "latin", words: nestedWords("a", filter.MaxWordRunes), unit: "a "},
}

// peakHeap runs f and returns the bytes it allocated in all and the peak
// of live heap objects above the level before it, sampled every 100µs
// through runtime/metrics (which does not stop the world).
func peakHeap(f func()) (total, peak uint64) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	base := read()
	var max atomic.Uint64
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for {
			if v := read(); v > base && v-base > max.Load() {
				max.Store(v - base)
			}
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Microsecond):
			}
		}
	}()
	f()
	if v := read(); v > base && v-base > max.Load() {
		max.Store(v - base)
	}
	close(stop)
	<-done
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, max.Load()
}

// BenchmarkNestedWords filters 1 MiB of text against a dictionary of
// nested words (see nestedCases). B/op is what one call allocates;
// peak-MB the largest live heap above the level before the call,
// sampled (see peakHeap); matches the number of matches (about 1 MiB /
// 128 characters).
func BenchmarkNestedWords(b *testing.B) {
	for _, c := range nestedCases {
		b.Run(c.name, func(b *testing.B) {
			m := filter.MustCompile(c.words, filter.Options{Allow: c.allow})
			text := repeatTo(c.unit, 1<<20)
			dst := make([]filter.Match, 0, 1<<13)
			var n int
			_, peak := peakHeap(func() { n = len(m.AppendMatches(dst[:0], text)) })
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				m.AppendMatches(dst[:0], text)
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
			b.ReportMetric(float64(n), "matches")
		})
	}
}
