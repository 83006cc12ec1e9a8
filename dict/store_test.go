package dict_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wordfilter/wordfilter/dict"
	"github.com/wordfilter/wordfilter/filter"
)

// changeDeadline is how soon a change must take effect (docs/matching.md,
// "The dictionary folder").
const changeDeadline = 2 * time.Second

// events collects ReloadEvents from OnReload.
type events struct {
	mu  sync.Mutex
	evs []dict.ReloadEvent
}

func (e *events) add(ev dict.ReloadEvent) {
	e.mu.Lock()
	e.evs = append(e.evs, ev)
	e.mu.Unlock()
}

func (e *events) list() []dict.ReloadEvent {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]dict.ReloadEvent(nil), e.evs...)
}

// watchStore starts s.Watch on dir and stops it when the test ends. It
// waits until the first load was attempted.
func watchStore(t *testing.T, cfg dict.Config, pollOnly bool) (*dict.Store, *events) {
	t.Helper()
	evs := &events{}
	cfg.OnReload = evs.add
	s := dict.NewStore(cfg)
	if pollOnly {
		dict.PollOnly(s)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Watch(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Watch returned %v, want nil", err)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("Watch did not return after its context was cancelled")
		}
	})
	waitFor(t, "the first load", func() bool { return len(evs.list()) > 0 })
	return s, evs
}

// waitFor polls cond until it holds or changeDeadline passes, and
// returns how long it took.
func waitFor(t *testing.T, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	deadline := start.Add(changeDeadline)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s did not happen within %v", what, changeDeadline)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return time.Since(start)
}

// has tells whether the current dictionary of s holds word.
func has(s *dict.Store, word string) bool {
	d := s.Current()
	if d == nil {
		return false
	}
	_, _, ok := wordAction(d, word)
	return ok
}

func TestWatchChangeModes(t *testing.T) {
	type step struct {
		name   string
		change func(t *testing.T, dir string)
		appear []string // words that must be present afterwards
		gone   []string // words that must be absent afterwards
	}
	write := func(rel, content string) func(*testing.T, string) {
		return func(t *testing.T, dir string) { writeFiles(t, dir, map[string]string{rel: content}) }
	}
	steps := []step{
		{"drop a new file", write("new.txt", "dropped1\n"), []string{"dropped1"}, nil},
		{"write in place", func(t *testing.T, dir string) {
			f, err := os.OpenFile(filepath.Join(dir, "base.txt"), os.O_WRONLY|os.O_APPEND, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, err := f.WriteString("appended1\n"); err != nil {
				t.Fatal(err)
			}
		}, []string{"appended1", "base1"}, nil},
		{"truncate and rewrite in place", write("base.txt", "rewritten1\n"), []string{"rewritten1"}, []string{"base1", "appended1"}},
		{"rename into place", func(t *testing.T, dir string) {
			writeFiles(t, dir, map[string]string{".new.txt.tmp": "renamed1\n"})
			if err := os.Rename(filepath.Join(dir, ".new.txt.tmp"), filepath.Join(dir, "new.txt")); err != nil {
				t.Fatal(err)
			}
		}, []string{"renamed1"}, []string{"dropped1"}},
		{"rename a file", func(t *testing.T, dir string) {
			if err := os.Rename(filepath.Join(dir, "new.txt"), filepath.Join(dir, "new.notes")); err != nil {
				t.Fatal(err)
			}
		}, nil, []string{"renamed1"}},
		{"new subfolder with a file", func(t *testing.T, dir string) {
			if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
				t.Fatal(err)
			}
			writeFiles(t, dir, map[string]string{"sub/s.block.txt": "subword1\n"})
		}, []string{"subword1"}, nil},
		{"write in the new subfolder", write("sub/s.block.txt", "subword2\n"), []string{"subword2"}, []string{"subword1"}},
		{"new nested subfolder", write("sub/deeper/d.txt", "deep1\n"), []string{"deep1"}, nil},
		{"write in the nested subfolder", write("sub/deeper/d.txt", "deep2\n"), []string{"deep2"}, []string{"deep1"}},
		{"delete a file", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, "sub", "s.block.txt")); err != nil {
				t.Fatal(err)
			}
		}, nil, []string{"subword2"}},
		{"delete a subfolder", func(t *testing.T, dir string) {
			if err := os.RemoveAll(filepath.Join(dir, "sub")); err != nil {
				t.Fatal(err)
			}
		}, nil, []string{"deep2"}},
		{"subfolder comes back", write("sub/s.txt", "back1\n"), []string{"back1"}, nil},
	}
	for _, mode := range []struct {
		name     string
		pollOnly bool
		poll     time.Duration
	}{
		{"fsnotify", false, -1}, // polling off: the watcher alone must see every change
		{"poll", true, 200 * time.Millisecond},
	} {
		t.Run(mode.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{"base.txt": "base1\n"})
			s, _ := watchStore(t, dict.Config{Dir: dir, PollInterval: mode.poll}, mode.pollOnly)
			if !has(s, "base1") {
				t.Fatalf("first load lacks base1")
			}
			var slowest time.Duration
			for _, st := range steps {
				st.change(t, dir)
				took := waitFor(t, mode.name+": "+st.name, func() bool {
					for _, w := range st.appear {
						if !has(s, w) {
							return false
						}
					}
					for _, w := range st.gone {
						if has(s, w) {
							return false
						}
					}
					return true
				})
				if e := s.LastError(); e != "" {
					t.Fatalf("%s: LastError = %q", st.name, e)
				}
				slowest = max(slowest, took)
			}
			t.Logf("%s: %d changes, the slowest took effect after %v", mode.name, len(steps), slowest)
		})
	}
}

func TestWatchSymlinkedFileOutsideTheFolder(t *testing.T) {
	outside := t.TempDir()
	writeFiles(t, outside, map[string]string{"real.txt": "outside1\n"})
	dir := t.TempDir()
	if err := os.Symlink(filepath.Join(outside, "real.txt"), filepath.Join(dir, "linked.block.txt")); err != nil {
		t.Fatal(err)
	}
	s, _ := watchStore(t, dict.Config{Dir: dir, PollInterval: -1}, false)
	if !has(s, "outside1") {
		t.Fatalf("first load lacks the symlinked word")
	}
	writeFiles(t, outside, map[string]string{"real.txt": "outside2\n"})
	waitFor(t, "the edit of a symlink target outside the folder", func() bool { return has(s, "outside2") })
}

func TestBadFileKeepsOldDictionary(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.txt": "good1\n"})
	s, evs := watchStore(t, dict.Config{Dir: dir, PollInterval: -1}, false)
	old := s.Current()
	if old == nil || s.LastError() != "" {
		t.Fatalf("first load: %v, %q", old, s.LastError())
	}

	writeFiles(t, dir, map[string]string{"a.txt": "good2\n", "b.block.txt": "fine\n\n  \u200b\u200d  \n"})
	bad := filepath.Join(dir, "b.block.txt") + `:3: word "\u200b\u200d": nothing matchable left after normalisation`
	waitFor(t, "the refused reload", func() bool { return s.LastError() != "" })
	if got := s.LastError(); got != bad {
		t.Fatalf("LastError = %q, want %q", got, bad)
	}
	if s.Current() != old || has(s, "good2") {
		t.Fatalf("a refused reload replaced the dictionary")
	}
	last := evs.list()[len(evs.list())-1]
	if last.Err == nil || last.Changed || last.Dict != old || last.Trigger != "watch" {
		t.Fatalf("refused reload event = %+v, want Err, unchanged, old dict, trigger watch", last)
	}
	// A forced reload reports the same lines.
	if _, err := s.Reload(); err == nil || strings.Join(dict.ErrorLines(err), "\n") != bad {
		t.Fatalf("Reload error lines = %q, want %q", dict.ErrorLines(err), bad)
	}

	writeFiles(t, dir, map[string]string{"b.block.txt": "fine\n"})
	waitFor(t, "the recovery", func() bool { return has(s, "good2") && has(s, "fine") })
	if e := s.LastError(); e != "" {
		t.Fatalf("LastError after the fix = %q, want empty", e)
	}
}

func TestMisspelledSuffixRefusedOnReload(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"politics.block.txt": "法轮功\n"})
	s, evs := watchStore(t, dict.Config{Dir: dir, PollInterval: -1}, false)
	old := s.Current()
	if old == nil || s.LastError() != "" {
		t.Fatalf("first load: %v, %q", old, s.LastError())
	}

	// A typo: read as a mask list it would mask what should be refused.
	writeFiles(t, dir, map[string]string{"violence.blok.txt": "砍死你\n"})
	bad := filepath.Join(dir, "violence.blok.txt") +
		`: unknown suffix ".blok": a dictionary file is NAME.txt or NAME.<mask|block|review|allow|variants>.txt`
	waitFor(t, "the refused reload", func() bool { return s.LastError() != "" })
	if got := s.LastError(); got != bad {
		t.Fatalf("LastError = %q, want %q", got, bad)
	}
	if s.Current() != old || has(s, "砍死你") {
		t.Fatalf("a folder with a misspelled suffix replaced the dictionary")
	}
	if r := s.Current().Matcher.Filter(nil, "法轮功"); r.Decision != filter.Block {
		t.Fatalf("the old dictionary no longer blocks: %s", r.Decision)
	}
	last := evs.list()[len(evs.list())-1]
	if !errors.Is(last.Err, dict.ErrBadFileName) || last.Changed || last.Dict != old {
		t.Fatalf("refused reload event = %+v, want ErrBadFileName, unchanged, old dict", last)
	}
	if _, err := s.Reload(); err == nil || strings.Join(dict.ErrorLines(err), "\n") != bad {
		t.Fatalf("Reload error lines = %q, want %q", dict.ErrorLines(err), bad)
	}

	if err := os.Rename(filepath.Join(dir, "violence.blok.txt"), filepath.Join(dir, "violence.Block.txt")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the recovery", func() bool { return has(s, "砍死你") })
	if _, act, _ := wordAction(s.Current(), "砍死你"); act != filter.Block || s.LastError() != "" {
		t.Fatalf("after the rename: action %v, LastError %q; want block and no error", act, s.LastError())
	}
}

func TestRevertToCurrentClearsError(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.txt": "good1\n"})
	s := dict.NewStore(dict.Config{Dir: dir})
	d, err := s.Reload()
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, map[string]string{"a.txt": "good1\n\u2060\n"})
	if _, err := dict.Check(s, "poll"); err == nil || s.LastError() == "" {
		t.Fatalf("bad content: Check error %v, LastError %q; want both", err, s.LastError())
	}
	writeFiles(t, dir, map[string]string{"a.txt": "good1\n"})
	if got, err := dict.Check(s, "poll"); err != nil || got != d || s.LastError() != "" {
		t.Fatalf("reverted content: Check = %p, %v, LastError %q; want the old dictionary and no error", got, err, s.LastError())
	}
}

func TestUnchangedFolderNotRecompiled(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.txt": "one\n"})
	evs := &events{}
	s := dict.NewStore(dict.Config{Dir: dir, OnReload: evs.add})
	d, err := s.Reload()
	if err != nil {
		t.Fatal(err)
	}
	// Rewrite the same content (new mtime) and check as a poll would.
	writeFiles(t, dir, map[string]string{"a.txt": "one\n"})
	future := time.Now().Add(time.Hour)
	os.Chtimes(filepath.Join(dir, "a.txt"), future, future)
	for _, trig := range []string{"poll", "watch"} {
		if got, err := dict.Check(s, trig); err != nil || got != d {
			t.Fatalf("%s check of unchanged folder = %p, %v; want the same dictionary %p", trig, got, err, d)
		}
	}
	if n := len(evs.list()); n != 1 {
		t.Fatalf("%d events, want 1 (unchanged checks make none)", n)
	}
	// A forced reload of unchanged content reports, but keeps the dictionary.
	got, err := s.Reload()
	last := evs.list()[len(evs.list())-1]
	if err != nil || got != d || last.Changed || last.Trigger != "api" {
		t.Fatalf("forced reload of unchanged folder = %p, %v, event %+v", got, err, last)
	}
	// The same bad content is reported once by checks, every time when forced.
	writeFiles(t, dir, map[string]string{"a.txt": "one\n\u200b\n"})
	for i := 0; i < 3; i++ {
		dict.Check(s, "poll")
	}
	if n := len(evs.list()); n != 3 {
		t.Fatalf("%d events after 3 checks of one bad content, want 3 (one new)", n)
	}
	s.ReloadFrom("signal")
	if last := evs.list()[len(evs.list())-1]; len(evs.list()) != 4 || last.Trigger != "signal" || last.Err == nil {
		t.Fatalf("forced reload of bad content: event %+v", last)
	}
}

func TestWatchFirstLoadFailsThenRecovers(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.txt": "\u200b\n"})
	s, evs := watchStore(t, dict.Config{Dir: dir, PollInterval: -1}, false)
	if s.Current() != nil || s.LastError() == "" {
		t.Fatalf("bad first load: Current %v, LastError %q", s.Current(), s.LastError())
	}
	if ev := evs.list()[0]; ev.Trigger != "startup" || ev.Err == nil || ev.Dict != nil {
		t.Fatalf("first event = %+v, want a refused startup load", ev)
	}
	writeFiles(t, dir, map[string]string{"a.txt": "fixed\n"})
	waitFor(t, "the first good load", func() bool { return has(s, "fixed") })
}

func TestWatchMissingFolderAppears(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "later")
	s, _ := watchStore(t, dict.Config{Dir: dir, PollInterval: 100 * time.Millisecond}, false)
	if !strings.Contains(s.LastError(), "cannot read folder") {
		t.Fatalf("LastError = %q, want cannot read folder", s.LastError())
	}
	writeFiles(t, dir, map[string]string{"a.txt": "arrived\n"})
	waitFor(t, "loading the folder once it exists", func() bool { return has(s, "arrived") })
	writeFiles(t, dir, map[string]string{"a.txt": "arrived2\n"})
	waitFor(t, "watching the folder once it exists", func() bool { return has(s, "arrived2") })
}

// configMap lays out dir like a Kubernetes ConfigMap volume as kubelet's
// atomic writer does: the data in a timestamped folder, "..data" a symlink
// to it, each key a visible symlink "key -> ..data/key". It returns the
// timestamped folder.
func configMap(t *testing.T, dir, ts string, files map[string]string) string {
	t.Helper()
	tsDir := filepath.Join(dir, ts)
	writeFiles(t, tsDir, files)
	tmp := filepath.Join(dir, "..data_tmp")
	if err := os.Symlink(ts, tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, "..data")); err != nil {
		t.Fatal(err)
	}
	for name := range files {
		link := filepath.Join(dir, name)
		if _, err := os.Lstat(link); err == nil {
			continue
		}
		if err := os.Symlink(filepath.Join("..data", name), link); err != nil {
			t.Fatal(err)
		}
	}
	return tsDir
}

func TestConfigMapFlip(t *testing.T) {
	dir := t.TempDir()
	old := configMap(t, dir, "..2026_11_27_01_00_00.000000001", map[string]string{
		"porn.mask.txt": "cm1\n", "allow.txt": "cm allow\n",
	})
	s, _ := watchStore(t, dict.Config{Dir: dir, PollInterval: -1}, false)
	d := s.Current()
	if d == nil || d.Matcher.Len() != 1 || d.Matcher.AllowLen() != 1 || !has(s, "cm1") {
		t.Fatalf("first load of the ConfigMap = %+v, want 1 word (each read once) and 1 allow phrase", d)
	}

	// An update flips ..data to a new timestamped folder, adding a key.
	configMap(t, dir, "..2026_11_27_01_05_00.000000002", map[string]string{
		"porn.mask.txt": "cm2\n", "allow.txt": "cm allow\n", "politics.block.txt": "cm3\n",
	})
	waitFor(t, "the ConfigMap flip", func() bool { return has(s, "cm2") && has(s, "cm3") && !has(s, "cm1") })
	flipped := s.Current()
	if flipped.Matcher.Len() != 2 {
		t.Fatalf("after the flip: %d words, want 2", flipped.Matcher.Len())
	}
	// kubelet then removes the old timestamped folder: nothing changes.
	if err := os.RemoveAll(old); err != nil {
		t.Fatal(err)
	}
	if _, err := dict.Check(s, "watch"); err != nil || s.Current() != flipped || s.LastError() != "" {
		t.Fatalf("after removing the old folder: %v, LastError %q, dictionary replaced %v", err, s.LastError(), s.Current() != flipped)
	}

	// A key removed from the ConfigMap: ..data flips first (the visible
	// symlink dangles for a moment), then the symlink is removed.
	configMap(t, dir, "..2026_11_27_01_10_00.000000003", map[string]string{"porn.mask.txt": "cm2\n", "allow.txt": "cm allow\n"})
	waitFor(t, "the key removal", func() bool { return !has(s, "cm3") && has(s, "cm2") })
	if err := os.Remove(filepath.Join(dir, "politics.block.txt")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Reload(); err != nil || s.LastError() != "" {
		t.Fatalf("after the dangling key was removed: %v, %q", err, s.LastError())
	}
}

func TestConcurrentFilteringDuring50Reloads(t *testing.T) {
	const words = 20
	dir := t.TempDir()
	gen := func(i int) map[string]string {
		var b strings.Builder
		for w := 0; w < words; w++ {
			fmt.Fprintf(&b, "g%dw%d\n", i, w)
		}
		return map[string]string{"gen.block.txt": b.String()}
	}
	writeFiles(t, dir, gen(0))
	// Not paced: the four readers keep every CPU busy, which would slow
	// paced reloads down to a quarter of their share (a pacing test is
	// in paced_test.go, the pacer's own in internal/pacer).
	s := dict.NewStore(dict.Config{Dir: dir, ReloadCPU: 1})
	if _, err := s.Reload(); err != nil {
		t.Fatal(err)
	}

	var stop atomic.Bool
	var checked atomic.Int64
	var wg sync.WaitGroup
	errc := make(chan string, 4)
	for r := 0; r < 4; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				d := s.Current()
				if d.Matcher.Len() != words || d.Categories["gen"] != words {
					errc <- fmt.Sprintf("incomplete dictionary: %d words, %v", d.Matcher.Len(), d.Categories)
					return
				}
				// All words of one snapshot come from one generation, and
				// filtering a text holding them all finds every one.
				prefix, _, _ := strings.Cut(d.Matcher.Word(0).Text, "w")
				texts := make([]string, words)
				for i := range texts {
					w := d.Matcher.Word(i).Text
					if !strings.HasPrefix(w, prefix+"w") {
						errc <- fmt.Sprintf("mixed dictionary: %q and %q", d.Matcher.Word(0).Text, w)
						return
					}
					texts[i] = w
				}
				rep := d.Matcher.Filter(nil, strings.Join(texts, " "))
				if len(rep.Matches) != words || rep.Decision != filter.Block {
					errc <- fmt.Sprintf("Filter found %d matches (%s), want %d", len(rep.Matches), rep.Decision, words)
					return
				}
				checked.Add(1)
			}
		}()
	}
	versions := map[string]bool{}
	for i := 1; i <= 50; i++ {
		writeFiles(t, dir, gen(i))
		d, err := s.Reload()
		if err != nil {
			t.Fatalf("reload %d: %v", i, err)
		}
		versions[d.Version] = true
	}
	stop.Store(true)
	wg.Wait()
	close(errc)
	for e := range errc {
		t.Error(e)
	}
	if len(versions) != 50 {
		t.Fatalf("%d distinct versions over 50 reloads of different content, want 50", len(versions))
	}
	if checked.Load() == 0 {
		t.Fatalf("the readers checked nothing")
	}
}

func TestReloadsNeverOverlap(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.txt": "one\n"})
	var inside, maxInside atomic.Int32
	s := dict.NewStore(dict.Config{Dir: dir, OnReload: func(dict.ReloadEvent) {
		n := inside.Add(1)
		if n > maxInside.Load() {
			maxInside.Store(n)
		}
		time.Sleep(time.Millisecond) // widen the window an overlap would need
		inside.Add(-1)
	}})
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 5; j++ {
				s.Reload()
			}
		}()
	}
	wg.Wait()
	if maxInside.Load() != 1 {
		t.Fatalf("%d reloads ran at once, want 1", maxInside.Load())
	}
}

func TestWatchDebouncesBursts(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.txt": "first\n"})
	s, evs := watchStore(t, dict.Config{Dir: dir, PollInterval: -1}, false)
	const files = 30
	for i := 0; i < files; i++ {
		writeFiles(t, dir, map[string]string{fmt.Sprintf("burst%02d.txt", i): fmt.Sprintf("burst%d\n", i)})
	}
	waitFor(t, "the burst", func() bool { return has(s, fmt.Sprintf("burst%d", files-1)) && s.Current().Matcher.Len() == files+1 })
	n := 0
	for _, ev := range evs.list() {
		if ev.Trigger == "watch" {
			n++
		}
	}
	// Each file makes several events (create, write, close); a reload
	// per event would be 30 or more.
	if n > files/3 {
		t.Fatalf("%d reloads for a burst of %d files, want at most %d", n, files, files/3)
	}
}

func TestWatchEmbedded(t *testing.T) {
	s, evs := watchStore(t, dict.Config{}, false)
	d := s.Current()
	if d == nil || d.Source != "embedded" || evs.list()[0].Trigger != "startup" {
		t.Fatalf("Watch of the embedded default: %+v, events %+v", d, evs.list())
	}
}
