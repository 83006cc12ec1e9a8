package dict_test

import (
	"bufio"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wordfilter/wordfilter/dict"
	"github.com/wordfilter/wordfilter/filter"
	"github.com/wordfilter/wordfilter/internal/shareddata"
)

// realWords reads a shared dictionary file as filter words, leaving out
// the lines that filter refuses.
func realWords(t *testing.T, rel string) []filter.Word {
	t.Helper()
	b, err := os.ReadFile(shareddata.Path(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	var ws []filter.Word
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && filter.CheckWord(l) == "" {
			ws = append(ws, filter.Word{Text: l, Category: "zh", Action: filter.Mask})
		}
	}
	return ws
}

func TestCompileYieldSameMatcher(t *testing.T) {
	words := realWords(t, "dicts/zh-large.txt")
	calls := 0
	paced, err := filter.Compile(words, filter.Options{Yield: func() { calls++ }})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := filter.Compile(words, filter.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// At least one call for every few hundred words.
	if calls < len(words)/1024 {
		t.Errorf("Compile of %d words called Yield %d times, want at least %d", len(words), calls, len(words)/1024)
	}
	if paced.Len() != plain.Len() || paced.MemoryUsage() != plain.MemoryUsage() {
		t.Errorf("with Yield: %d words, %d bytes; without: %d words, %d bytes", paced.Len(), paced.MemoryUsage(), plain.Len(), plain.MemoryUsage())
	}
	f, err := os.Open(shareddata.Path(t, "corpus/zh-chat.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	lines, matched := 0, 0
	for sc.Scan() && lines < 20000 {
		text := sc.Text()
		lines++
		got := paced.AppendMatches(nil, text)
		want := plain.AppendMatches(nil, text)
		if !slices.Equal(got, want) {
			t.Fatalf("line %d %q: matches %v with Yield, %v without", lines, text, got, want)
		}
		if len(got) > 0 {
			matched++
		}
	}
	if matched == 0 {
		t.Fatalf("none of %d zh-chat lines matched zh-large: the comparison tests nothing", lines)
	}
}

// writeWords writes ws (one a line) as the file name in dir, by rename.
func writeWords(t *testing.T, dir, name string, ws []filter.Word) {
	t.Helper()
	var b strings.Builder
	for _, w := range ws {
		b.WriteString(w.Text)
		b.WriteByte('\n')
	}
	tmp := filepath.Join(dir, "."+name+".tmp")
	if err := os.WriteFile(tmp, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
}

func TestPacedReloadSwapsLargeDictionary(t *testing.T) {
	large, xlarge := realWords(t, "dicts/zh-large.txt"), realWords(t, "dicts/zh-xlarge.txt")
	inLarge := map[string]bool{}
	for _, w := range large {
		inLarge[w.Text] = true
	}
	onlyX := ""
	for _, w := range xlarge {
		if !inLarge[w.Text] {
			onlyX = w.Text
			break
		}
	}
	if onlyX == "" {
		t.Fatal("no word of zh-xlarge is new to zh-large")
	}
	dir := t.TempDir()
	writeWords(t, dir, "zh.txt", large)
	evs := &events{}
	s := dict.NewStore(dict.Config{Dir: dir, ReloadCPU: 0.5, OnReload: evs.add})
	first, err := s.Reload()
	if err != nil {
		t.Fatal(err)
	}
	if ev := evs.list()[0]; ev.Paused != 0 {
		t.Errorf("the first load paused %v, want no pacing", ev.Paused)
	}
	writeWords(t, dir, "zh.txt", xlarge)
	d, err := s.Reload()
	if err != nil {
		t.Fatal(err)
	}
	ev := evs.list()[1]
	if !ev.Changed || d.Version == first.Version || d.Matcher.Len() <= first.Matcher.Len() || !has(s, onlyX) {
		t.Fatalf("paced reload: changed %v, version %s -> %s, words %d -> %d, has %q: %v; want the new dictionary",
			ev.Changed, first.Version, d.Version, first.Matcher.Len(), d.Matcher.Len(), onlyX, has(s, onlyX))
	}
	if ev.Paused <= 0 || ev.Paused >= ev.Duration {
		t.Errorf("paced reload slept %v of %v, want a part of it", ev.Paused, ev.Duration)
	}
	// Not an assertion (the machine is shared): the figure for the record.
	t.Logf("paced reload of %d words at ReloadCPU 0.5: %v, of which %v asleep", d.Matcher.Len(), ev.Duration, ev.Paused)
}
