package dict_test

import (
	"reflect"
	"testing"

	"github.com/wordfilter/wordfilter/dict"
	"github.com/wordfilter/wordfilter/filter"
)

// TestReadingSetFilter checks that dict's readings are the engine's, bit
// for bit and name for name, so that a ReadingSet converts as it is.
func TestReadingSetFilter(t *testing.T) {
	for _, c := range []struct {
		r    dict.Reading
		want filter.Readings
	}{
		{dict.ReadingRepeat, filter.ReadRepeat},
		{dict.ReadingLeet, filter.ReadLeet},
		{dict.ReadingLookalike, filter.ReadLookalike},
		{dict.ReadingVariants, filter.ReadVariants},
		{dict.ReadingPinyin, filter.ReadPinyin},
	} {
		if got := dict.NewReadingSet(c.r).Filter(); got != c.want {
			t.Errorf("{%v}.Filter() = %v, want %v", c.r, got, c.want)
		}
		if names := c.want.Names(); len(names) != 1 || names[0] != c.r.String() {
			t.Errorf("reading %v is named %q by the engine", c.r, names)
		}
	}
	if got := dict.AllReadings.Filter(); got != filter.AllReadings {
		t.Errorf("AllReadings.Filter() = %v, want %v", got, filter.AllReadings)
	}
	if got := dict.ReadingSet(0).Filter(); got != 0 {
		t.Errorf("empty set's Filter() = %v, want none", got)
	}
	s := dict.NewReadingSet(dict.ReadingPinyin, dict.ReadingLeet)
	if got := s.Filter(); got != filter.ReadLeet|filter.ReadPinyin || got.String() != s.String() {
		t.Errorf("{leet, pinyin}.Filter() = %v, want leet,pinyin named as dict names it (%v)", got, s)
	}
}

// TestSettingsPolicy checks the mapping of a category's settings to the
// engine's Policy: Settings.For's readings and inheritance, and
// variant-action and pinyin-action "review" as the review flags.
func TestSettingsPolicy(t *testing.T) {
	s := dict.Settings{
		Readings:      dict.NewReadingSet(dict.ReadingRepeat, dict.ReadingLeet),
		VariantAction: dict.ActionReview,
		PinyinAction:  dict.ActionSame,
		Categories: map[string]dict.CategorySettings{
			"ads":      {OverrideReadings: true},
			"politics": {PinyinAction: dict.ActionReview, VariantAction: dict.ActionSame},
		},
	}
	for cat, want := range map[string]filter.Policy{
		"":         {Readings: filter.ReadRepeat | filter.ReadLeet, VariantReview: true},
		"other":    {Readings: filter.ReadRepeat | filter.ReadLeet, VariantReview: true},
		"ads":      {Readings: 0, VariantReview: true},
		"politics": {Readings: filter.ReadRepeat | filter.ReadLeet, PinyinReview: true},
	} {
		if got := s.Policy(cat); got != want {
			t.Errorf("Policy(%q) = %+v, want %+v", cat, got, want)
		}
	}
	if got, want := dict.DefaultSettings().Policy("any"), (filter.Policy{Readings: filter.AllReadings, PinyinReview: true}); got != want {
		t.Errorf("DefaultSettings().Policy = %+v, want %+v (every reading, variant-action same, pinyin-action review)", got, want)
	}
}

// readingsFolder is a folder whose wordfilter.yaml turns on leet only,
// sends variant matches to review, switches every reading off for ads and
// gives politics the variants reading with the word's own action.
var readingsFolder = map[string]string{
	"profanity.txt":      "shit\n",
	"ads.txt":            "spam\n",
	"politics.block.txt": "法轮功\n",
	"variants.txt":       "法 氵去 灋\n",
	"wordfilter.yaml": "readings: [leet]\nvariant-action: review\ncategories:\n" +
		"  ads: { readings: [] }\n  politics: { readings: [variants], variant-action: same }\n",
}

// TestCompileOptionsOfAFolder checks, without the engine's help, the
// Options a folder's words are compiled with: the folder's Policy, one
// Policy for each category of wordfilter.yaml, the variants, and the
// caller's other options kept.
func TestCompileOptionsOfAFolder(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, readingsFolder)
	d := mustLoad(t, dir)
	yield := func() {}
	callerVariant := filter.Variant{Canonical: "奸", Forms: []string{"女干"}}
	in := filter.Options{Mask: '#', Allow: []string{"given"}, Yield: yield,
		Policy:     filter.Policy{Readings: filter.ReadPinyin},
		Categories: map[string]filter.Policy{"x": {}},
		Variants:   []filter.Variant{callerVariant}}
	got := dict.CompileOptions(in, d.Settings, d.Variants)
	if want := (filter.Policy{Readings: filter.ReadLeet, VariantReview: true, PinyinReview: true}); got.Policy != want {
		t.Errorf("Policy = %+v, want %+v", got.Policy, want)
	}
	wantCats := map[string]filter.Policy{
		"ads":      {Readings: 0, VariantReview: true, PinyinReview: true},
		"politics": {Readings: filter.ReadVariants, VariantReview: false, PinyinReview: true},
	}
	if !reflect.DeepEqual(got.Categories, wantCats) {
		t.Errorf("Categories = %+v, want %+v", got.Categories, wantCats)
	}
	wantVariants := []filter.Variant{callerVariant, {Canonical: "法", Forms: []string{"氵去", "灋"}}}
	if !reflect.DeepEqual(got.Variants, wantVariants) {
		t.Errorf("Variants = %+v, want %+v", got.Variants, wantVariants)
	}
	if got.Mask != '#' || !reflect.DeepEqual(got.Allow, []string{"given"}) || got.Yield == nil {
		t.Errorf("the caller's Mask, Allow and Yield were not kept: %+v", got)
	}
	if len(in.Variants) != 1 || in.Categories["x"] != (filter.Policy{}) {
		t.Errorf("CompileOptions changed the caller's Options: %+v", in)
	}

	// Without wordfilter.yaml: the defaults, no category, no variants.
	plain := t.TempDir()
	writeFiles(t, plain, map[string]string{"profanity.txt": "shit\n"})
	got = dict.CompileOptions(filter.Options{Mask: '#'}, mustLoad(t, plain).Settings, nil)
	if want := (filter.Policy{Readings: filter.AllReadings, PinyinReview: true}); got.Policy != want ||
		got.Categories != nil || got.Variants != nil || got.Mask != '#' {
		t.Errorf("defaults: %+v, want Policy %+v and no Categories or Variants", got, want)
	}
}

// TestFolderReadingsApply checks through the engine that a Store compiles
// a folder with its readings (readingsFolder): leet on, repeat off,
// variant-action review (a leet match is reported, not masked), a category
// with no reading, and one with the variants reading and its word's own
// action. It needs the engine's variant readings.
func TestFolderReadingsApply(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, readingsFolder)
	store := dict.NewStore(dict.Config{Dir: dir, Options: filter.Options{Mask: '#'}})
	d, err := store.Reload()
	if err != nil {
		t.Fatal(err)
	}
	m := d.Matcher
	type want struct {
		text     string
		decision filter.Action
		masked   string
		via      filter.Readings // of the only match; ignored without one
		matches  int
	}
	for _, w := range []want{
		{"shit", filter.Mask, "####", 0, 1},
		{"sh1t", filter.Review, "sh1t", filter.ReadLeet, 1}, // variant-action review: not masked
		{"shiiit", filter.Pass, "shiiit", 0, 0},             // repeat is off
		{"spam", filter.Mask, "####", 0, 1},
		{"sp4m", filter.Pass, "sp4m", 0, 0},                    // ads: readings []
		{"氵去轮功", filter.Block, "####", filter.ReadVariants, 1}, // politics: variant-action same
		{"灋輪功", filter.Block, "###", filter.ReadVariants, 1},
	} {
		res := m.Filter(nil, w.text)
		if res.Decision != w.decision || res.Text != w.masked || len(res.Matches) != w.matches {
			t.Errorf("Filter(%q) = %v %q with %d matches %+v; want %v %q with %d", w.text,
				res.Decision, res.Text, len(res.Matches), res.Matches, w.decision, w.masked, w.matches)
			continue
		}
		if w.matches == 1 {
			mt := res.Matches[0]
			if mt.Via != w.via || m.ActionOf(mt) != w.decision {
				t.Errorf("Filter(%q): match via %v, action %v; want via %v, action %v", w.text, mt.Via, m.ActionOf(mt), w.via, w.decision)
			}
		}
	}
}
