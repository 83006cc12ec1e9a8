package dict_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/wordfilter/wordfilter/dict"
	"github.com/wordfilter/wordfilter/filter"
	"github.com/wordfilter/wordfilter/internal/shareddata"
)

// writeFiles creates files (path relative to dir → content) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// mustLoad loads dir and fails the test on error.
func mustLoad(t *testing.T, dir string) *dict.Dictionary {
	t.Helper()
	d, err := dict.Load(dir, filter.Options{})
	if err != nil {
		t.Fatalf("Load(%s): %v", dir, err)
	}
	return d
}

// wordAction returns the category and action of word in d, or ok false.
func wordAction(d *dict.Dictionary, word string) (string, filter.Action, bool) {
	for i := 0; i < d.Matcher.Len(); i++ {
		if w := d.Matcher.Word(i); w.Text == word {
			return w.Category, w.Action, true
		}
	}
	return "", 0, false
}

func TestLoadFolder(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"politics.block.txt":    "# refused\n法轮功\r\n",
		"porn.txt":              "\uFEFFfuck\nshit\n",
		"ads.review.txt":        "free money\n",
		"en/profanity.mask.txt": "bitch\n",
		"allow.txt":             "class\n",
		"extra.allow.txt":       "pen is\n",
		"notes.md":              "fuck2\n",
		".hidden.txt":           "hidden1\n",
		".git/x.txt":            "hidden2\n",
		"empty.block.txt":       "# nothing yet\n",
	})
	d := mustLoad(t, dir)
	if d.Matcher.Len() != 5 || d.Matcher.AllowLen() != 2 || d.Files != 7 || d.Source != dir {
		t.Fatalf("Load = words %d allow %d files %d source %q, want 5, 2, 7, %q", d.Matcher.Len(), d.Matcher.AllowLen(), d.Files, d.Source, dir)
	}
	wantCats := map[string]int{"politics": 1, "porn": 2, "ads": 1, "profanity": 1, "empty": 0}
	if !reflect.DeepEqual(d.Categories, wantCats) {
		t.Fatalf("Categories = %v, want %v", d.Categories, wantCats)
	}
	for word, want := range map[string]struct {
		cat string
		act filter.Action
	}{
		"法轮功": {"politics", filter.Block}, "fuck": {"porn", filter.Mask},
		"free money": {"ads", filter.Review}, "bitch": {"profanity", filter.Mask},
	} {
		cat, act, ok := wordAction(d, word)
		if !ok || cat != want.cat || act != want.act {
			t.Errorf("word %q = %q %v %v, want %q %v", word, cat, act, ok, want.cat, want.act)
		}
	}
	for _, hidden := range []string{"fuck2", "hidden1", "hidden2"} {
		if _, _, ok := wordAction(d, hidden); ok {
			t.Errorf("word %q from an ignored file was loaded", hidden)
		}
	}
	r := d.Matcher.Filter(nil, "what the fuck")
	if r.Decision != filter.Mask || r.Text != "what the ****" {
		t.Fatalf("Filter = %+v, want mask of fuck", r)
	}
}

func TestLoadStrongestActionWins(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a.review.txt": "dup1\ndup2\ndup3\n",
		"b.block.txt":  "dup1\n",
		"c.mask.txt":   "dup2\ndup1\n",
		"d.txt":        "dup3\ndup3\n",
	})
	d := mustLoad(t, dir)
	if d.Matcher.Len() != 3 {
		t.Fatalf("Words = %d, want 3", d.Matcher.Len())
	}
	for word, want := range map[string]filter.Action{"dup1": filter.Block, "dup2": filter.Mask, "dup3": filter.Mask} {
		if _, act, _ := wordAction(d, word); act != want {
			t.Errorf("word %q action %v, want %v", word, act, want)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"good.txt":      "fine\n",
		"bad.block.txt": "ok\n\n\u200b\nok2\n\xff\n",
		"sub/long.txt":  strings.Repeat("长", filter.MaxWordRunes+1) + "\n",
		"sub/allow.txt": "# header\n\u200d\n",
	})
	_, err := dict.Load(dir, filter.Options{})
	want := []string{
		filepath.Join(dir, "bad.block.txt") + `:3: word "\u200b": nothing matchable left after normalisation`,
		filepath.Join(dir, "bad.block.txt") + `:5: word "\xff": invalid UTF-8`,
		filepath.Join(dir, "sub/allow.txt") + `:2: word "\u200d": nothing matchable left after normalisation`,
		filepath.Join(dir, "sub/long.txt") + ":1: word",
	}
	got := dict.ErrorLines(err)
	if len(got) != len(want) {
		t.Fatalf("ErrorLines = %q, want %d lines like %q", got, len(want), want)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("error %d = %q, want prefix %q", i, got[i], want[i])
		}
	}
	var le *dict.LineError
	if !errors.As(err, &le) || le.Path != filepath.Join(dir, "bad.block.txt") || le.Line != 3 {
		t.Fatalf("errors.As(*LineError) = %+v, want bad.block.txt line 3", le)
	}
	for _, kind := range []error{dict.ErrBadWord, dict.ErrInvalidUTF8} {
		if !errors.Is(err, kind) {
			t.Errorf("errors.Is(err, %v) = false, want true", kind)
		}
	}
	if errors.Is(err, dict.ErrUnreadable) {
		t.Errorf("errors.Is(err, ErrUnreadable) = true, want false")
	}
}

func TestLoadFolderProblems(t *testing.T) {
	f := func(dir, wantSub string, wantKind error) {
		t.Helper()
		_, err := dict.Load(dir, filter.Options{})
		if err == nil || !strings.Contains(err.Error(), wantSub) || !errors.Is(err, wantKind) {
			t.Fatalf("Load(%s) error = %v, want it to say %q and be %v", dir, err, wantSub, wantKind)
		}
	}
	f(filepath.Join(t.TempDir(), "missing"), "cannot read folder", dict.ErrUnreadable)
	empty := t.TempDir()
	writeFiles(t, empty, map[string]string{"readme.md": "x"})
	f(empty, "no dictionary files", dict.ErrNoFiles)

	loop := t.TempDir()
	writeFiles(t, loop, map[string]string{"a.txt": "word\n"})
	if err := os.Symlink(".", filepath.Join(loop, "self")); err != nil {
		t.Fatal(err)
	}
	f(loop, "nested more than", dict.ErrTooDeep)

	selfLink := t.TempDir()
	writeFiles(t, selfLink, map[string]string{"a.txt": "word\n"})
	if err := os.Symlink("loop.txt", filepath.Join(selfLink, "loop.txt")); err != nil {
		t.Fatal(err)
	}
	f(selfLink, filepath.Join(selfLink, "loop.txt")+": cannot follow symlink", dict.ErrUnreadable)

	if os.Geteuid() != 0 { // root reads everything
		unreadable := t.TempDir()
		writeFiles(t, unreadable, map[string]string{"a.txt": "word\n"})
		if err := os.Chmod(filepath.Join(unreadable, "a.txt"), 0); err != nil {
			t.Fatal(err)
		}
		f(unreadable, filepath.Join(unreadable, "a.txt")+": cannot read file", dict.ErrUnreadable)
	}
}

func TestLoadSuffixCaseVariantsAndYAML(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"politics.Block.txt": "法轮功\n",
		"ads.REVIEW.txt":     "free money\n",
		"en.Allow.txt":       "class\n",
		"variants.txt":       "# canonical form first\n法 氵去 灋\n奸 女干\n",
		"zh.Variants.txt":    "强 弓虽\n",
		"wordfilter.yaml":    "readings: [repeat]\ncategories:\n  ads: { pinyin-action: same }\n",
		"notes.yaml":         "not: [read, at all\n",
	})
	d := mustLoad(t, dir)
	if d.Matcher.Len() != 2 || d.Matcher.AllowLen() != 1 || d.Files != 5 {
		t.Fatalf("Load = words %d allow %d files %d, want 2, 1, 5", d.Matcher.Len(), d.Matcher.AllowLen(), d.Files)
	}
	wantCats := map[string]int{"politics": 1, "ads": 1}
	if !reflect.DeepEqual(d.Categories, wantCats) {
		t.Fatalf("Categories = %v, want %v (variants files name no category)", d.Categories, wantCats)
	}
	if cat, act, ok := wordAction(d, "法轮功"); !ok || cat != "politics" || act != filter.Block {
		t.Errorf("法轮功 = %q %v %v, want politics block (politics.Block.txt)", cat, act, ok)
	}
	if cat, act, ok := wordAction(d, "free money"); !ok || cat != "ads" || act != filter.Review {
		t.Errorf("free money = %q %v %v, want ads review (ads.REVIEW.txt)", cat, act, ok)
	}
	for _, form := range []string{"法 氵去 灋", "氵去", "女干", "强 弓虽", "弓虽"} {
		if _, _, ok := wordAction(d, form); ok {
			t.Errorf("the variants line %q became a word", form)
		}
	}
	wantVariants := []dict.Variant{
		{Canonical: "法", Forms: []string{"氵去", "灋"}, Path: filepath.Join(dir, "variants.txt"), Line: 2},
		{Canonical: "奸", Forms: []string{"女干"}, Path: filepath.Join(dir, "variants.txt"), Line: 3},
		{Canonical: "强", Forms: []string{"弓虽"}, Path: filepath.Join(dir, "zh.Variants.txt"), Line: 1},
	}
	if !reflect.DeepEqual(d.Variants, wantVariants) {
		t.Errorf("Variants = %+v\nwant %+v", d.Variants, wantVariants)
	}
	if got := d.Settings.Readings; got != dict.NewReadingSet(dict.ReadingRepeat) {
		t.Errorf("Settings.Readings = %v, want repeat", got)
	}
	if d.Settings.Path != filepath.Join(dir, "wordfilter.yaml") {
		t.Errorf("Settings.Path = %q, want the folder's wordfilter.yaml", d.Settings.Path)
	}
	if _, _, pa := d.Settings.For("ads"); pa != dict.ActionSame {
		t.Errorf("Settings.For(ads) pinyin-action = %v, want same", pa)
	}
	if r := d.Matcher.Filter(nil, "女干"); r.Decision != filter.Pass {
		t.Errorf("Filter(女干) = %s, want pass: variant forms are not applied yet", r.Decision)
	}

	// A variants file's content is part of the version.
	before := d.Version
	writeFiles(t, dir, map[string]string{"variants.txt": "法 氵去\n"})
	if after := mustLoad(t, dir).Version; after == before {
		t.Errorf("changing variants.txt kept the version %s", before)
	}

	// Its lines are checked for UTF-8 (comments skipped, as in word files).
	writeFiles(t, dir, map[string]string{"variants.txt": "# \xff comment\n法 氵去\n奸 \xfe\n"})
	_, err := dict.Load(dir, filter.Options{})
	want := filepath.Join(dir, "variants.txt") + `:3: word "奸 \xfe": invalid UTF-8`
	if got := dict.ErrorLines(err); len(got) != 1 || got[0] != want || !errors.Is(err, dict.ErrInvalidUTF8) {
		t.Fatalf("variants.txt with invalid UTF-8: errors %q, want [%q]", got, want)
	}
}

func TestLoadUnknownSuffixRefusesTheFolder(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"good.txt":            "fine\n",
		"politics.blok.txt":   "法轮功\n",
		"sub/ads.reveiw.txt":  "free money\n",
		"a.b.txt":             "word\n",
		"porn.mask.txt":       "\xff\n",
		"notes.variants.yaml": "ignored: not a .txt file\n",
	})
	_, err := dict.Load(dir, filter.Options{})
	const may = ": a dictionary file is NAME.txt or NAME.<mask|block|review|allow|variants>.txt"
	want := []string{
		filepath.Join(dir, "a.b.txt") + `: unknown suffix ".b"` + may,
		filepath.Join(dir, "politics.blok.txt") + `: unknown suffix ".blok"` + may,
		filepath.Join(dir, "porn.mask.txt") + `:1: word "\xff": invalid UTF-8`,
		filepath.Join(dir, "sub", "ads.reveiw.txt") + `: unknown suffix ".reveiw"` + may,
	}
	if got := dict.ErrorLines(err); !reflect.DeepEqual(got, want) {
		t.Fatalf("ErrorLines = %q\nwant %q", got, want)
	}
	var le *dict.LineError
	if !errors.As(err, &le) || le.Line != 0 || le.Path != want[0][:strings.Index(want[0], ": ")] || !errors.Is(err, dict.ErrBadFileName) {
		t.Fatalf("errors.As(*LineError) = %+v, want a path error (line 0) of kind ErrBadFileName", le)
	}

	// Only the name is wrong: fixed, the folder loads and the words block.
	if err := os.Rename(filepath.Join(dir, "politics.blok.txt"), filepath.Join(dir, "politics.block.txt")); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"sub/ads.reveiw.txt", "a.b.txt", "porn.mask.txt"} {
		if err := os.Remove(filepath.Join(dir, filepath.FromSlash(name))); err != nil {
			t.Fatal(err)
		}
	}
	d := mustLoad(t, dir)
	if _, act, ok := wordAction(d, "法轮功"); !ok || act != filter.Block {
		t.Fatalf("after the rename 法轮功 = %v %v, want block", act, ok)
	}
}

func TestLoadFollowsSymlinks(t *testing.T) {
	outside := t.TempDir()
	writeFiles(t, outside, map[string]string{"real.txt": "linked1\n", "more/x.block.txt": "linked2\n"})
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"own.txt": "own1\n"})
	for name, target := range map[string]string{
		"file.mask.txt": filepath.Join(outside, "real.txt"),
		"sub":           filepath.Join(outside, "more"),
		"dangling.txt":  filepath.Join(outside, "gone.txt"),
	} {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	d := mustLoad(t, dir)
	for _, w := range []string{"own1", "linked1", "linked2"} {
		if _, _, ok := wordAction(d, w); !ok {
			t.Errorf("word %q missing", w)
		}
	}
	if d.Matcher.Len() != 3 {
		t.Fatalf("Words = %d, want 3", d.Matcher.Len())
	}
}

func TestVersion(t *testing.T) {
	files := map[string]string{"a.txt": "one\n", "b.block.txt": "two\n", "z/c.txt": "three\n"}
	d1, d2 := t.TempDir(), t.TempDir()
	writeFiles(t, d1, files)
	writeFiles(t, d2, files) // written in another order (map order), at other times
	v1, v2 := mustLoad(t, d1).Version, mustLoad(t, d2).Version
	if v1 != v2 || len(v1) != 16 {
		t.Fatalf("versions %q and %q of the same content differ (or are not 16 hex digits)", v1, v2)
	}
	if again := mustLoad(t, d1).Version; again != v1 {
		t.Fatalf("second load version %q, want %q", again, v1)
	}
	// Same content through fs.FS gives the same version.
	mfs := fstest.MapFS{}
	for name, c := range files {
		mfs[name] = &fstest.MapFile{Data: []byte(c)}
	}
	d, err := dict.LoadFS(mfs, "mem", filter.Options{})
	if err != nil || d.Version != v1 {
		t.Fatalf("LoadFS version %q (%v), want %q", d.Version, err, v1)
	}
	for _, change := range []map[string]string{
		{"a.txt": "one\nfour\n"}, // content
		{"a.block.txt": "one\n"}, // a rename changes the action
	} {
		d3 := t.TempDir()
		writeFiles(t, d3, files)
		if _, ok := change["a.block.txt"]; ok {
			os.Remove(filepath.Join(d3, "a.txt"))
		}
		writeFiles(t, d3, change)
		if v := mustLoad(t, d3).Version; v == v1 {
			t.Errorf("change %v kept version %q", change, v)
		}
	}
}

func TestDefault(t *testing.T) {
	d, err := dict.Default(filter.Options{})
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	if d.Source != "embedded" || d.Matcher.Len() < 200 || d.Matcher.AllowLen() < 50 {
		t.Fatalf("Default = source %q, %d words, %d allow; want embedded, ≥200, ≥50", d.Source, d.Matcher.Len(), d.Matcher.AllowLen())
	}
	for _, c := range []string{"politics", "porn", "ads", "profanity-en", "violence", "cult", "slurs-en"} {
		if d.Categories[c] == 0 {
			t.Errorf("Default has no %s words", c)
		}
	}
	for text, want := range map[string]string{
		"what the fuck": "mask", "法轮功": "block", "代开发票": "review", "hello there": "pass",
	} {
		if r := d.Matcher.Filter(nil, text); r.Decision.String() != want {
			t.Errorf("Default.Filter(%q).Decision = %s, want %s", text, r.Decision, want)
		}
	}
	s := dict.NewStore(dict.Config{})
	sd, err := s.Reload()
	if err != nil || sd.Version != d.Version || sd.Source != "embedded" {
		t.Fatalf("Store{Dir:\"\"}.Reload = %+v, %v; want the default dictionary", sd, err)
	}
}

func TestCompileErrorNamesItsPlace(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.txt": "word\n"})
	_, err := dict.Load(dir, filter.Options{Allow: []string{"fine", "\u2060"}})
	want := `Options.Allow:2: word "\u2060": nothing matchable left after normalisation`
	if got := dict.ErrorLines(err); len(got) != 1 || got[0] != want {
		t.Fatalf("Load with a bad Options.Allow = %q, want %q", got, want)
	}
}

// TestLoadErrorsInFolderOrder checks that the words filter.Compile
// refuses (listed by index: words, then allow phrases, Options.Allow
// first) come back in folder order, interleaved with the problems the
// parser finds, and that the first MaxErrors are kept and the rest
// counted, whether or not the parser found any.
func TestLoadErrorsInFolderOrder(t *testing.T) {
	// Compiled: only refused words, in a word file and two allow files.
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a.allow.txt": "ok\n\u200b\n",
		"b.txt":       "fine\n\u200c\n\u200d\n",
		"c.allow.txt": "\u2060\n",
	})
	_, err := dict.Load(dir, filter.Options{Allow: []string{"\ufeff", "given"}})
	const nm = `: nothing matchable left after normalisation`
	want := []string{
		filepath.Join(dir, "a.allow.txt") + `:2: word "\u200b"` + nm,
		filepath.Join(dir, "b.txt") + `:2: word "\u200c"` + nm,
		filepath.Join(dir, "b.txt") + `:3: word "\u200d"` + nm,
		filepath.Join(dir, "c.allow.txt") + `:1: word "\u2060"` + nm,
		`Options.Allow:1: word "\ufeff"` + nm,
	}
	if got := dict.ErrorLines(err); !reflect.DeepEqual(got, want) {
		t.Fatalf("errors\n%q\nwant\n%q", got, want)
	}

	// Parsed with errors too: a line that is not UTF-8 between refused
	// words, more problems than MaxErrors in all.
	var b strings.Builder
	for i := range dict.MaxErrors {
		if i%2 == 0 {
			b.WriteString("\u200b\n")
		} else {
			b.WriteString("\xff\n")
		}
	}
	writeFiles(t, dir, map[string]string{"b.txt": b.String()})
	_, err = dict.Load(dir, filter.Options{Allow: []string{"\ufeff"}})
	var le *dict.LoadError
	if !errors.As(err, &le) {
		t.Fatalf("Load error %v is not a *LoadError", err)
	}
	// a.allow.txt:2, then b.txt's lines 1 to 99; omitted: b.txt:100,
	// c.allow.txt:1 and Options.Allow:1.
	if len(le.Errs) != dict.MaxErrors || le.Omitted != 3 {
		t.Fatalf("kept %d errors and omitted %d, want %d and 3", len(le.Errs), le.Omitted, dict.MaxErrors)
	}
	if e := le.Errs[0]; e.Path != filepath.Join(dir, "a.allow.txt") || e.Line != 2 {
		t.Errorf("first error %q, want a.allow.txt:2", e)
	}
	for i, e := range le.Errs[1:] {
		if e.Path != filepath.Join(dir, "b.txt") || e.Line != i+1 {
			t.Fatalf("error %d is %q, want b.txt:%d", i+1, e, i+1)
		}
		if wantErr := [2]error{dict.ErrBadWord, dict.ErrInvalidUTF8}[i%2]; !errors.Is(e, wantErr) {
			t.Errorf("error %q is not %v", e, wantErr)
		}
	}
}

// TestSharedDictionariesLoad loads every file of the shared data's
// dictionaries (dicts/*.txt and dicts/multi/*.txt), each alone in a
// folder under its own name as validate would, and wants no error: the
// real lists of every language are accepted as they are.
func TestSharedDictionariesLoad(t *testing.T) {
	dicts := shareddata.Path(t, "dicts")
	files, _ := filepath.Glob(filepath.Join(dicts, "*.txt"))
	multi, _ := filepath.Glob(filepath.Join(dicts, "multi", "*.txt"))
	for _, pattern := range []string{"en.txt", "zh-*.txt", "multi/*.txt"} {
		if m, _ := filepath.Glob(filepath.Join(dicts, filepath.FromSlash(pattern))); len(m) == 0 {
			t.Skipf("shared data has no %s", filepath.Join(dicts, filepath.FromSlash(pattern)))
		}
	}
	for _, src := range append(files, multi...) {
		rel, _ := filepath.Rel(dicts, src)
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			data, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			if err := os.Symlink(src, filepath.Join(dir, filepath.Base(src))); err != nil {
				t.Fatal(err)
			}
			d, err := dict.Load(dir, filter.Options{})
			if err != nil {
				t.Fatalf("Load(a folder holding %s) = %v, want no error", rel, err)
			}
			if lines := strings.Count(string(data), "\n") + 1; d.Matcher.Len() == 0 || d.Matcher.Len() > lines {
				t.Fatalf("%d words from %d lines", d.Matcher.Len(), lines)
			}
		})
	}
}
