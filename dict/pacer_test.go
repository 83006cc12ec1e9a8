package dict_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wordfilter/wordfilter/dict"
	"github.com/wordfilter/wordfilter/filter"
	"github.com/wordfilter/wordfilter/internal/shareddata"
)

// fakeClock is the clock of a pacer under test: work and sleep advance it.
type fakeClock struct {
	now time.Time
	// late is how much longer than asked every sleep lasts.
	late time.Duration
	// busy is the share of the CPU that others (requests) use while the
	// pacer sleeps; cpuTime is the process's CPU time, the pacer's work
	// included.
	busy    float64
	cpuTime time.Duration

	sleeps, goscheds int
	// sinceOut is the work done since the pacer last left the CPU.
	sinceOut time.Duration
	// outs records sinceOut each time the pacer left the CPU.
	outs []time.Duration
}

func (c *fakeClock) Now() time.Time { return c.now }

func (c *fakeClock) Sleep(d time.Duration) {
	c.sleeps++
	c.leave()
	c.now = c.now.Add(d + c.late)
	c.cpuTime += time.Duration(c.busy * float64(d+c.late))
}

func (c *fakeClock) CPU() time.Duration { return c.cpuTime }

func (c *fakeClock) Gosched() {
	c.goscheds++
	c.leave()
}

func (c *fakeClock) leave() {
	c.outs = append(c.outs, c.sinceOut)
	c.sinceOut = 0
}

func (c *fakeClock) work(d time.Duration) {
	c.now = c.now.Add(d)
	c.sinceOut += d
	c.cpuTime += d
}

func TestPacerDutyCycle(t *testing.T) {
	const step = 7 * time.Microsecond // work between two calls of the hook
	for _, tc := range []struct {
		duty float64
		late time.Duration
		busy float64
		// want is the expected work/(work+sleep), from want[0] to want[1];
		// nil means the duty.
		want []float64
	}{
		{duty: 0.1}, {duty: 0.25}, {duty: 0.5}, {duty: 0.9},
		{duty: 0.5, late: 50 * time.Microsecond}, {duty: 0.5, late: 3 * time.Millisecond}, {duty: 0.9, late: time.Millisecond},
		// Others use 60% while it sleeps: at 0.5, 20% of the CPU stays idle.
		{duty: 0.5, busy: 0.6},
		// At 80% the idle share (1-0.8)*(1-duty) stays at 15% up to duty 0.25.
		{duty: 0.5, busy: 0.8, want: []float64{0.1, 0.26}},
		// The CPU is always busy: a quarter of the duty, no less.
		{duty: 0.5, busy: 1, want: []float64{0.124, 0.127}},
	} {
		t.Run(fmt.Sprintf("duty=%g/late=%s/busy=%g", tc.duty, tc.late, tc.busy), func(t *testing.T) {
			c := &fakeClock{now: time.Unix(1e9, 0), late: tc.late, busy: tc.busy}
			p := dict.NewTestPacer(tc.duty, c.Now, c.Sleep, c.Gosched, c.CPU)
			for range 100000 { // 0.7s of work
				c.work(step)
				p.Yield()
			}
			worked, slept, slices := p.Totals()
			if worked > 700*time.Millisecond || worked < 700*time.Millisecond-dict.PaceSlice-step {
				t.Errorf("worked %v, want the 700ms of work minus the last unfinished slice", worked)
			}
			got := float64(worked) / float64(worked+slept)
			switch {
			case got > tc.duty+1e-9:
				t.Errorf("work/(work+sleep) = %.4f, want at most %g", got, tc.duty)
			case tc.want != nil && (got < tc.want[0] || got > tc.want[1]):
				t.Errorf("work/(work+sleep) = %.4f with others busy %g, want from %g to %g", got, tc.busy, tc.want[0], tc.want[1])
			case tc.want == nil && tc.late == 0 && got < tc.duty-0.001:
				t.Errorf("work/(work+sleep) = %.4f with exact sleeps, want %g", got, tc.duty)
			}
			// It leaves the CPU after each slice, and only then.
			if len(c.outs) != slices || c.sleeps+c.goscheds != slices {
				t.Errorf("left the CPU %d times (%d sleeps, %d Gosched), want once per slice (%d)", len(c.outs), c.sleeps, c.goscheds, slices)
			}
			for i, w := range c.outs {
				if w < dict.PaceSlice || w >= dict.PaceSlice+step {
					t.Fatalf("slice %d: worked %v before leaving the CPU, want from %v to %v", i, w, dict.PaceSlice, dict.PaceSlice+step)
				}
			}
			if tc.late > dict.PaceSlice && c.goscheds == 0 {
				t.Errorf("sleeps %v late, but never a slice without sleep: late sleeps must count", tc.late)
			}
			if tc.late == 0 && c.goscheds != 0 {
				t.Errorf("%d slices without a sleep at duty %g with exact sleeps, want none", c.goscheds, tc.duty)
			}
		})
	}
}

// TestPacerBudget: after its budget a reload runs at full speed, so that a
// change takes effect in time however busy the server is.
func TestPacerBudget(t *testing.T) {
	const step = 7 * time.Microsecond
	c := &fakeClock{now: time.Unix(1e9, 0), busy: 1}
	p := dict.NewTestPacer(0.5, c.Now, c.Sleep, c.Gosched, c.CPU)
	p.SetBudget(dict.PaceBudget)
	begin := c.now
	var last time.Time // when the pacer last left the CPU
	for range 200000 { // 1.4s of work
		c.work(step)
		n := c.sleeps + c.goscheds
		p.Yield()
		if c.sleeps+c.goscheds != n {
			last = c.now
		}
	}
	if c.sleeps == 0 {
		t.Fatal("never slept: the pacer did not pace at all")
	}
	if d := last.Sub(begin); d > dict.PaceBudget+10*time.Millisecond {
		t.Errorf("left the CPU %v after the reload began, want at most the budget %v", d, dict.PaceBudget)
	}
	// Fully busy others hold it at a quarter of 0.5 for the budget; the
	// rest of the 1.4s of work then runs without a break.
	if total := c.now.Sub(begin); total > dict.PaceBudget+1400*time.Millisecond {
		t.Errorf("reload took %v of wall time, want at most the budget plus its work", total)
	}
}

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
	if paced.Len() != plain.Len() || paced.Stats().Memory != plain.Stats().Memory {
		t.Errorf("with Yield: %d words, %d bytes; without: %d words, %d bytes", paced.Len(), paced.Stats().Memory, plain.Len(), plain.Stats().Memory)
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
	if !ev.Changed || d.Version == first.Version || d.Words <= first.Words || !has(s, onlyX) {
		t.Fatalf("paced reload: changed %v, version %s -> %s, words %d -> %d, has %q: %v; want the new dictionary",
			ev.Changed, first.Version, d.Version, first.Words, d.Words, onlyX, has(s, onlyX))
	}
	if ev.Paused <= 0 || ev.Paused >= ev.Duration {
		t.Errorf("paced reload slept %v of %v, want a part of it", ev.Paused, ev.Duration)
	}
	// Not an assertion (the machine is shared): the figure for the record.
	t.Logf("paced reload of %d words at ReloadCPU 0.5: %v, of which %v asleep", d.Words, ev.Duration, ev.Paused)
}
