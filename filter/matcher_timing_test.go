package filter_test

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	cloudflare "github.com/cloudflare/ahocorasick"
	petar "github.com/petar-dambovaliev/aho-corasick"

	"github.com/wordfilter/wordfilter/filter"
	"github.com/wordfilter/wordfilter/internal/shareddata"
)

// The benchmarks read the real dictionaries and corpora of ../shared/data
// and skip when they are absent. Compare engines within one run:
//
//	go test -run=NONE -bench=Messages ./filter/
//
// cloudflare/ahocorasick needs about 10 s and 4.4 GB to build zh-large, so
// it is skipped under -short, and on zh-xlarge unless
// WORDFILTER_BENCH_HUGE=1.

// benchSets pairs each dictionary with the corpus it is measured on.
var benchSets = []struct{ dict, corpus string }{
	{"zh-small", "zh-chat"},
	{"zh-medium", "zh-chat"},
	{"zh-large", "zh-chat"},
	{"zh-xlarge", "zh-chat"},
	{"en", "en-chat"},
}

// benchData caches what the benchmarks load and build, so that every
// matcher is built once per process whatever -count says.
type benchData struct {
	mu    sync.Mutex
	lines map[string][]string
	built map[string]any
}

var bench = benchData{lines: map[string][]string{}, built: map[string]any{}}

func (d *benchData) readLines(b testing.TB, rel string) []string {
	b.Helper()
	d.mu.Lock()
	defer d.mu.Unlock()
	if ls, ok := d.lines[rel]; ok {
		return ls
	}
	f, err := os.Open(shareddata.Path(b, rel))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var ls []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			ls = append(ls, l)
		}
	}
	if err := sc.Err(); err != nil {
		b.Fatal(err)
	}
	d.lines[rel] = ls
	return ls
}

// get returns the cached value for key, building it on first use.
func (d *benchData) get(key string, build func() any) any {
	d.mu.Lock()
	v, ok := d.built[key]
	d.mu.Unlock()
	if ok {
		return v
	}
	v = build()
	d.mu.Lock()
	d.built[key] = v
	d.mu.Unlock()
	return v
}

// dictWords returns the words of a dictionary that Compile accepts.
func dictWords(b testing.TB, dict string) []string {
	var ws []string
	for _, w := range bench.readLines(b, "dicts/"+dict+".txt") {
		if filter.CheckWord(w) == "" {
			ws = append(ws, w)
		}
	}
	return ws
}

// compileDict compiles dict with every variant reading on, as a folder
// without settings is read.
func compileDict(b testing.TB, dict string) *filter.Matcher {
	return compileDictWith(b, dict, filter.AllReadings)
}

// compileDictWith compiles dict with the given readings.
func compileDictWith(b testing.TB, dict string, readings filter.Readings) *filter.Matcher {
	return bench.get(fmt.Sprintf("wordfilter/%s/%d", dict, readings), func() any {
		ws := dictWords(b, dict)
		words := make([]filter.Word, len(ws))
		for i, w := range ws {
			words[i] = filter.Word{Text: w, Category: dict, Action: filter.Mask}
		}
		return filter.MustCompile(words, filter.Options{Policy: filter.Policy{Readings: readings}})
	}).(*filter.Matcher)
}

func totalBytes(ls []string) int64 {
	n := 0
	for _, l := range ls {
		n += len(l)
	}
	return int64(n)
}

var benchSink atomic.Int64

// engines lists the matchers compared: each returns a function that
// handles one message and reports a number of hits.
var engines = []struct {
	name  string
	setup func(b testing.TB, dict string) func(msg string, raw []byte) int
}{
	{"wordfilter", wordfilterWith(filter.AllReadings)},
	{"wordfilter-nopinyin", wordfilterWith(filter.AllReadings &^ filter.ReadPinyin)},
	{"wordfilter-plain", wordfilterWith(0)},
	{"cloudflare", func(b testing.TB, dict string) func(string, []byte) int {
		m := bench.get("cloudflare/"+dict, func() any {
			return cloudflare.NewStringMatcher(dictWords(b, dict))
		}).(*cloudflare.Matcher)
		return func(_ string, raw []byte) int { return len(m.Match(raw)) }
	}},
	{"petar", func(b testing.TB, dict string) func(string, []byte) int {
		ac := bench.get("petar/"+dict, func() any {
			bl := petar.NewAhoCorasickBuilder(petar.Opts{MatchKind: petar.LeftMostLongestMatch, DFA: true})
			return bl.Build(dictWords(b, dict))
		}).(petar.AhoCorasick)
		return func(msg string, _ []byte) int {
			n := 0
			for it := ac.Iter(msg); it.Next() != nil; {
				n++
			}
			return n
		}
	}},
}

// wordfilterWith returns the setup of wordfilter compiled with readings.
func wordfilterWith(readings filter.Readings) func(testing.TB, string) func(string, []byte) int {
	return func(b testing.TB, dict string) func(string, []byte) int {
		m := compileDictWith(b, dict, readings)
		dst := make([]filter.Match, 0, 64)
		return func(msg string, _ []byte) int { return len(m.Filter(dst[:0], msg).Matches) }
	}
}

func skipHuge(b *testing.B, dict, engine string) {
	big := dict == "zh-large" || dict == "zh-xlarge"
	if engine == "cloudflare" && big && testing.Short() {
		b.Skipf("cloudflare/ahocorasick on %s takes seconds and gigabytes to build: skipped under -short", dict)
	}
	if engine == "cloudflare" && dict == "zh-xlarge" && os.Getenv("WORDFILTER_BENCH_HUGE") != "1" {
		b.Skip("cloudflare/ahocorasick on zh-xlarge needs more memory than a shared machine has: set WORDFILTER_BENCH_HUGE=1")
	}
}

// BenchmarkMessages filters a chat corpus message by message: one op is
// the whole corpus, SetBytes its size, so MB/s reads straight across
// engines.
func BenchmarkMessages(b *testing.B) {
	for _, set := range benchSets {
		b.Run(set.dict, func(b *testing.B) {
			msgs := bench.readLines(b, "corpus/"+set.corpus+".txt")
			raw := make([][]byte, len(msgs))
			for i, m := range msgs {
				raw[i] = []byte(m)
			}
			for _, e := range engines {
				b.Run(e.name, func(b *testing.B) {
					skipHuge(b, set.dict, e.name)
					f := e.setup(b, set.dict)
					hits := 0
					for i, m := range msgs {
						hits += f(m, raw[i])
					}
					if hits == 0 {
						b.Fatalf("no hits on %s × %s: the benchmark measures nothing", set.dict, set.corpus)
					}
					b.SetBytes(totalBytes(msgs))
					b.ReportAllocs()
					b.ResetTimer()
					for b.Loop() {
						n := 0
						for i, m := range msgs {
							n += f(m, raw[i])
						}
						benchSink.Add(int64(n))
					}
					b.ReportMetric(float64(hits), "hits")
				})
			}
		})
	}
}

// BenchmarkMessagesParallel is BenchmarkMessages for wordfilter with every
// core sharing one Matcher.
func BenchmarkMessagesParallel(b *testing.B) {
	for _, set := range benchSets {
		b.Run(set.dict, func(b *testing.B) {
			msgs := bench.readLines(b, "corpus/"+set.corpus+".txt")
			m := compileDict(b, set.dict)
			b.SetBytes(totalBytes(msgs) / int64(len(msgs)))
			b.ReportAllocs()
			b.ResetTimer()
			var next atomic.Int64
			b.RunParallel(func(pb *testing.PB) {
				dst := make([]filter.Match, 0, 64)
				n := 0
				for pb.Next() {
					msg := msgs[int(next.Add(1))%len(msgs)]
					n += len(m.Filter(dst[:0], msg).Matches)
				}
				benchSink.Add(int64(n))
			})
		})
	}
}

// BenchmarkBigBuffer filters a whole corpus as one text.
func BenchmarkBigBuffer(b *testing.B) {
	for _, set := range []struct{ dict, corpus string }{{"zh-large", "zh-long"}, {"zh-large", "zh-chat"}, {"en", "en-chat"}} {
		b.Run(set.dict+"×"+set.corpus, func(b *testing.B) {
			text := strings.Join(bench.readLines(b, "corpus/"+set.corpus+".txt"), "\n")
			raw := []byte(text)
			for _, e := range engines {
				b.Run(e.name, func(b *testing.B) {
					skipHuge(b, set.dict, e.name)
					f := e.setup(b, set.dict)
					if f(text, raw) == 0 {
						b.Fatal("no hits: the benchmark measures nothing")
					}
					b.SetBytes(int64(len(text)))
					b.ReportAllocs()
					b.ResetTimer()
					for b.Loop() {
						benchSink.Add(int64(f(text, raw)))
					}
				})
			}
		})
	}
}

// BenchmarkCompile builds each dictionary; the MB metric is the memory
// the Matcher holds (MemoryUsage), B/op what building allocated in all.
func BenchmarkCompile(b *testing.B) {
	for _, set := range benchSets {
		b.Run(set.dict, func(b *testing.B) {
			ws := dictWords(b, set.dict)
			words := make([]filter.Word, len(ws))
			for i, w := range ws {
				words[i] = filter.Word{Text: w, Category: set.dict, Action: filter.Mask}
			}
			// Every reading on, as a folder without settings is read.
			opts := filter.Options{Policy: filter.Policy{Readings: filter.AllReadings}}
			filter.MustCompile(nil, opts) // build the shared normalisation and look-alike tables first
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				filter.MustCompile(words, opts)
			}
			b.StopTimer()
			// Retained heap: what the Matcher holds beyond its input words
			// (no Matcher of the loop above is referenced any more).
			before := heapAlloc()
			m := filter.MustCompile(words, opts)
			after := heapAlloc()
			b.ReportMetric(float64(after-before)/1e6, "heapMB")
			b.ReportMetric(float64(m.MemoryUsage())/1e6, "MB")
			b.ReportMetric(float64(m.States()), "states")
		})
	}
}

// heapAlloc returns the live heap after a collection.
func heapAlloc() int64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}

// BenchmarkAdversarial filters texts made to cost the variant readings the
// most: long runs of ambiguous leet characters (each a letter or a
// separator, | standing for i or l), repeats, combining marks and
// invisible characters between copies, 2,000 bytes each, with every
// reading on. The walks of one text are bounded
// (walkBase plus walkPerByte steps a byte, variants.go): this shows what
// the bound costs.
func BenchmarkAdversarial(b *testing.B) {
	for _, dict := range []string{"en", "zh-large"} {
		m := compileDict(b, dict)
		for _, p := range []string{"|", "!|", "| ", "1|", "a-", "$", "u\u0308", "fuuu", "f-u-", "s\u200b", "$\u200b\u200c"} {
			text := strings.Repeat(p, 2000/len(p))
			b.Run(fmt.Sprintf("%s/%+q", dict, p), func(b *testing.B) {
				b.SetBytes(int64(len(text)))
				for b.Loop() {
					m.Filter(nil, text)
				}
			})
		}
	}
}
