package dict_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/wordfilter/wordfilter/dict"
	"github.com/wordfilter/wordfilter/filter"
)

func TestReadingNamesAndSets(t *testing.T) {
	want := []string{"repeat", "leet", "lookalike", "variants", "pinyin"}
	all := dict.AllReadings.Readings()
	if len(all) != len(want) {
		t.Fatalf("AllReadings.Readings() = %v, want %d readings", all, len(want))
	}
	for i, r := range all {
		if r.String() != want[i] {
			t.Errorf("reading %d = %q, want %q (the fixed order)", i, r, want[i])
		}
		if got, err := dict.ParseReading(want[i]); err != nil || got != r {
			t.Errorf("ParseReading(%q) = %v, %v; want %v", want[i], got, err, r)
		}
	}
	if got := dict.AllReadings.String(); got != "repeat,leet,lookalike,variants,pinyin" {
		t.Errorf("AllReadings.String() = %q", got)
	}
	if got := dict.ReadingSet(0).String(); got != "none" {
		t.Errorf("empty ReadingSet.String() = %q, want none", got)
	}
	// The order of String is fixed, whatever the order of the set's making.
	s := dict.NewReadingSet(dict.ReadingPinyin, dict.ReadingRepeat)
	if got := s.String(); got != "repeat,pinyin" || !s.Has(dict.ReadingPinyin) || s.Has(dict.ReadingLeet) {
		t.Errorf("{pinyin, repeat} = %q, Has(pinyin) %v, Has(leet) %v", got, s.Has(dict.ReadingPinyin), s.Has(dict.ReadingLeet))
	}
	for _, bad := range []string{"Repeat", "leet ", "", "variant"} {
		if _, err := dict.ParseReading(bad); err == nil {
			t.Errorf("ParseReading(%q) accepted", bad)
		}
	}
	if a, err := dict.ParseReadingAction("review"); err != nil || a != dict.ActionReview || a.String() != "review" {
		t.Errorf("ParseReadingAction(review) = %v, %v", a, err)
	}
	if _, err := dict.ParseReadingAction("block"); err == nil {
		t.Errorf("ParseReadingAction(block) accepted: block is a word's action, not a reading action")
	}
}

// knownCategories accepts the category names given.
func knownCategories(names ...string) func(string) bool {
	return func(c string) bool {
		for _, n := range names {
			if n == c {
				return true
			}
		}
		return false
	}
}

func TestParseSettings(t *testing.T) {
	def := dict.DefaultSettings()
	known := knownCategories("politics", "ads", "porn")
	f := func(name, in string, want dict.Settings) {
		t.Helper()
		got, err := dict.ParseSettings(strings.NewReader(in), known)
		if err != nil {
			t.Fatalf("%s: ParseSettings(%q): %v", name, in, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: ParseSettings(%q) =\n%+v\nwant\n%+v", name, in, got, want)
		}
	}
	f("empty file", "", def)
	f("only comments", "# nothing set yet\n\n", def)
	f("empty document", "---\n", def)
	f("null document", "~\n", def)
	f("categories with nothing under it", "categories:\n", def)

	f("the documented example", `readings: [repeat, leet, lookalike, variants, pinyin]   # the default: all on
variant-action: same      # same (the word's own action, the default) or review
pinyin-action: review     # review (the default) or same
categories:
  politics: { pinyin-action: same }
  ads: { readings: [] }
`, dict.Settings{
		Readings: dict.AllReadings, VariantAction: dict.ActionSame, PinyinAction: dict.ActionReview,
		Categories: map[string]dict.CategorySettings{
			"politics": {PinyinAction: dict.ActionSame, Line: 5},
			"ads":      {OverrideReadings: true, Readings: 0, Line: 6},
		},
	})

	f("block lists, review everywhere", `readings:
  - pinyin
  - repeat
variant-action: review
categories:
  porn:
    readings:
      - leet
    variant-action: same
`, dict.Settings{
		Readings: dict.NewReadingSet(dict.ReadingRepeat, dict.ReadingPinyin), VariantAction: dict.ActionReview, PinyinAction: dict.ActionReview,
		Categories: map[string]dict.CategorySettings{
			"porn": {OverrideReadings: true, Readings: dict.NewReadingSet(dict.ReadingLeet), VariantAction: dict.ActionSame, Line: 6},
		},
	})

	f("no readings at all", "readings: []\n", dict.Settings{VariantAction: dict.ActionSame, PinyinAction: dict.ActionReview})

	f("an anchor shared by two categories", `categories:
  politics: &strict { pinyin-action: same, variant-action: same }
  porn: *strict
`, dict.Settings{
		Readings: dict.AllReadings, VariantAction: dict.ActionSame, PinyinAction: dict.ActionReview,
		Categories: map[string]dict.CategorySettings{
			"politics": {VariantAction: dict.ActionSame, PinyinAction: dict.ActionSame, Line: 2},
			"porn":     {VariantAction: dict.ActionSame, PinyinAction: dict.ActionSame, Line: 3},
		},
	})

	f("BOM and CRLF", "\uFEFFpinyin-action: same\r\n", dict.Settings{
		Readings: dict.AllReadings, VariantAction: dict.ActionSame, PinyinAction: dict.ActionSame,
	})

	// Without a category list, every name is accepted.
	got, err := dict.ParseSettings(strings.NewReader("categories: { anything: {} }\n"), nil)
	if _, ok := got.Categories["anything"]; err != nil || !ok {
		t.Fatalf("ParseSettings(known nil) = %+v, %v; want category anything accepted", got, err)
	}
}

func TestParseSettingsErrors(t *testing.T) {
	known := knownCategories("politics", "ads")
	f := func(name, in string, want ...string) {
		t.Helper()
		got, err := dict.ParseSettings(strings.NewReader(in), known)
		if err == nil {
			t.Fatalf("%s: ParseSettings(%q) = %+v, want errors %q", name, in, got, want)
		}
		if lines := dict.ErrorLines(err); !reflect.DeepEqual(lines, want) {
			t.Fatalf("%s: ParseSettings(%q) errors\n%q\nwant\n%q", name, in, lines, want)
		}
		if !errors.Is(err, dict.ErrBadSettings) && !errors.Is(err, dict.ErrInvalidUTF8) {
			t.Fatalf("%s: error %v is not ErrBadSettings", name, err)
		}
	}
	f("unknown key", "readings: [leet]\nreading: [repeat]\n",
		`line 2: unknown setting "reading" (the settings are readings, variant-action, pinyin-action, categories)`)
	f("unknown reading", "readings: [repeat, leat, pinyin, Pinyin]\n",
		`line 1: readings: unknown reading "leat" (the readings are repeat, leet, lookalike, variants, pinyin)`,
		`line 1: readings: unknown reading "Pinyin" (the readings are repeat, leet, lookalike, variants, pinyin)`)
	f("bad action", "variant-action: same\npinyin-action: block\n",
		`line 2: pinyin-action: unknown action "block" (want same or review)`)
	f("undefined category", "categories:\n  politics: { pinyin-action: same }\n  polítics: { pinyin-action: same }\n  allow: {}\n",
		`line 3: categories: no file of the folder defines category "polítics"`,
		`line 4: categories: no file of the folder defines category "allow"`)
	f("duplicate keys", "readings: [leet]\nvariant-action: same\nreadings: []\ncategories:\n  ads: {}\n  ads: {}\n",
		`line 3: "readings" given twice (first at line 1)`,
		`line 6: "ads" given twice (first at line 5)`)
	f("duplicate key in a category", "categories:\n  ads:\n    pinyin-action: same\n    pinyin-action: review\n",
		`line 4: "pinyin-action" given twice (first at line 3)`)
	f("readings not a list", "readings: leet\n",
		`line 1: readings: want a list of readings such as [repeat, leet] ([] for none), not "leet"`)
	f("readings with nothing", "readings:\n",
		`line 1: readings: want a list of readings such as [repeat, leet] ([] for none), not nothing`)
	f("a reading not a name", "readings: [[leet]]\n",
		`line 1: readings: want a reading name (repeat, leet, lookalike, variants, pinyin), not a list`)
	f("action not a name", "variant-action: [same]\n",
		`line 1: variant-action: want same or review, not a list`)
	f("action a number", "pinyin-action: 1\n",
		`line 1: pinyin-action: want same or review, not "1"`)
	f("top level a list", "- readings\n",
		`line 1: want a mapping of settings (readings, variant-action, pinyin-action, categories), not a list`)
	f("categories a list", "categories: [ads]\n",
		`line 1: categories: want a mapping of category names to settings, not a list`)
	f("category settings a list", "categories:\n  ads: [leet]\n",
		`line 2: categories: ads: want a mapping such as { pinyin-action: same }, not a list`)
	f("unknown key in a category", "categories:\n  ads:\n    readings: [leet]\n    categories: {}\n",
		`line 4: categories: ads: unknown setting "categories" (a category may set readings, variant-action, pinyin-action)`)
	f("bad values in a category", "categories:\n  ads: { readings: [lookalike, pinyn], pinyin-action: maybe }\n",
		`line 2: ads: readings: unknown reading "pinyn" (the readings are repeat, leet, lookalike, variants, pinyin)`,
		`line 2: ads: pinyin-action: unknown action "maybe" (want same or review)`)
	f("key not a name", "[a]: b\n",
		`line 1: want a name as key, not a list`)
	f("two documents", "readings: []\n---\nreadings: [leet]\n",
		`line 2: more than one YAML document: a settings file holds one`) // the second's "---"
	f("invalid UTF-8", "readings: []\n# \xff\n",
		`line 2: invalid UTF-8`)
	f("control character", "readings: []\n\n# \x01\n",
		`line 3: invalid YAML: control characters are not allowed`)
}

// TestSettingsYAMLErrorLines pins the line of each kind of invalid YAML:
// the YAML library numbers its parser's errors from 0, and ParseSettings
// corrects them (see yamlParserProblems in settings.go).
func TestSettingsYAMLErrorLines(t *testing.T) {
	f := func(in string, want string) {
		t.Helper()
		_, err := dict.ParseSettings(strings.NewReader(in), nil)
		if lines := dict.ErrorLines(err); len(lines) != 1 || lines[0] != want || !errors.Is(err, dict.ErrBadSettings) {
			t.Fatalf("ParseSettings(%q) errors %q, want [%q]", in, lines, want)
		}
	}
	// Parser errors.
	f("readings: [repeat]\nvariant-action: [same\n", `line 2: invalid YAML: did not find expected ',' or ']'`)
	f("readings: [repeat\n", `line 1: invalid YAML: did not find expected ',' or ']'`)
	f("variant-action: same\n- leet\n", `line 2: invalid YAML: did not find expected key`)
	// The library names the line of the mapping it was parsing, when
	// that is not the first line, rather than the line of the problem.
	f("categories:\n  ads:\n    - x\n   y: 2\n", `line 2: invalid YAML: did not find expected key`)
	// Scanner errors.
	f("readings: []\n\tpinyin-action: same\n", `line 2: invalid YAML: found character that cannot start any token`)
	f("readings: []\npinyin-action: same: review\n", `line 2: invalid YAML: mapping values are not allowed in this context`)
	f("readings: []\npinyin-action: \"same\n", `line 2: invalid YAML: found unexpected end of stream`)
}

func TestSettingsFor(t *testing.T) {
	s := dict.Settings{
		Readings:      dict.NewReadingSet(dict.ReadingRepeat, dict.ReadingLeet, dict.ReadingPinyin),
		VariantAction: dict.ActionReview,
		PinyinAction:  dict.ActionReview,
		Categories: map[string]dict.CategorySettings{
			"politics": {PinyinAction: dict.ActionSame},
			"ads":      {OverrideReadings: true},
			"porn":     {OverrideReadings: true, Readings: dict.NewReadingSet(dict.ReadingLookalike), VariantAction: dict.ActionSame},
			"nothing":  {},
		},
	}
	f := func(cat string, wantR dict.ReadingSet, wantV, wantP dict.ReadingAction) {
		t.Helper()
		r, v, p := s.For(cat)
		if r != wantR || v != wantV || p != wantP {
			t.Errorf("For(%q) = %v, %v, %v; want %v, %v, %v", cat, r, v, p, wantR, wantV, wantP)
		}
	}
	folder := s.Readings
	f("politics", folder, dict.ActionReview, dict.ActionSame)                                // one action overridden, readings inherited
	f("ads", 0, dict.ActionReview, dict.ActionReview)                                        // readings: [] replaces the folder's with none
	f("porn", dict.NewReadingSet(dict.ReadingLookalike), dict.ActionSame, dict.ActionReview) // replaces, not merges
	f("nothing", folder, dict.ActionReview, dict.ActionReview)
	f("unlisted", folder, dict.ActionReview, dict.ActionReview)

	// Defaults, and unset actions in a hand-made Settings.
	if r, v, p := dict.DefaultSettings().For("any"); r != dict.AllReadings || v != dict.ActionSame || p != dict.ActionReview {
		t.Errorf("DefaultSettings().For = %v, %v, %v; want all, same, review", r, v, p)
	}
	if r, v, p := (dict.Settings{}).For("any"); r != 0 || v != dict.ActionSame || p != dict.ActionReview {
		t.Errorf("Settings{}.For = %v, %v, %v; want none, same, review", r, v, p)
	}
}

func TestLoadSettings(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"politics.block.txt": "法轮功\n",
		"zh/porn.txt":        "# a category of comments is still a category\n",
		"allow.txt":          "class\n",
	})
	d := mustLoad(t, dir)
	if !reflect.DeepEqual(d.Settings, dict.DefaultSettings()) {
		t.Fatalf("no wordfilter.yaml: Settings = %+v, want the defaults", d.Settings)
	}
	plain := d.Version

	yaml := filepath.Join(dir, "wordfilter.yaml")
	writeFiles(t, dir, map[string]string{"wordfilter.yaml": "pinyin-action: same\ncategories:\n  porn: { readings: [leet] }\n"})
	d = mustLoad(t, dir)
	if r, _, p := d.Settings.For("porn"); r != dict.NewReadingSet(dict.ReadingLeet) || p != dict.ActionSame {
		t.Fatalf("For(porn) = %v, pinyin-action %v; want leet, same", r, p)
	}
	if d.Version == plain {
		t.Fatalf("adding wordfilter.yaml kept the version %s", plain)
	}
	withYAML := d.Version
	writeFiles(t, dir, map[string]string{"wordfilter.yaml": "pinyin-action: review\ncategories:\n  porn: { readings: [leet] }\n"})
	if v := mustLoad(t, dir).Version; v == withYAML || v == plain {
		t.Fatalf("changing wordfilter.yaml gave version %s (before %s, without it %s)", v, withYAML, plain)
	}
	if err := os.Remove(yaml); err != nil {
		t.Fatal(err)
	}
	if v := mustLoad(t, dir).Version; v != plain {
		t.Fatalf("removing wordfilter.yaml gave version %s, want %s again", v, plain)
	}

	// Errors name path:line; a category must be one of the folder's.
	writeFiles(t, dir, map[string]string{"wordfilter.yaml": "readings: [leet]\ncategories:\n  porn: {}\n  allow: {}\n  Politics: {}\n"})
	_, err := dict.Load(dir, filter.Options{})
	want := []string{
		yaml + `:4: categories: no file of the folder defines category "allow"`,
		yaml + `:5: categories: no file of the folder defines category "Politics"`,
	}
	if got := dict.ErrorLines(err); !reflect.DeepEqual(got, want) || !errors.Is(err, dict.ErrBadSettings) {
		t.Fatalf("errors %q, want %q", got, want)
	}

	// A settings file anywhere but at the top, or misnamed, is refused
	// with the word files' own errors.
	writeFiles(t, dir, map[string]string{
		"wordfilter.yaml":    "readings: [leet]\n",
		"zh/wordfilter.yaml": "readings: []\n",
		"wordfilter.yml":     "readings: []\n",
		"zh/porn.txt":        "\u200b\n",
	})
	_, err = dict.Load(dir, filter.Options{})
	const where = ": settings are read only from wordfilter.yaml at the top of the dictionary folder: move or rename this file, or delete it"
	want = []string{
		filepath.Join(dir, "zh", "porn.txt") + `:1: word "\u200b": nothing matchable left after normalisation`,
		filepath.Join(dir, "wordfilter.yml") + where,
		filepath.Join(dir, "zh", "wordfilter.yaml") + where,
	}
	if got := dict.ErrorLines(err); !reflect.DeepEqual(got, want) {
		t.Fatalf("errors\n%q\nwant\n%q", got, want)
	}

	// A folder with settings but no word file is still a folder with no
	// dictionary files.
	empty := t.TempDir()
	writeFiles(t, empty, map[string]string{"wordfilter.yaml": "readings: []\n"})
	if _, err := dict.Load(empty, filter.Options{}); !errors.Is(err, dict.ErrNoFiles) {
		t.Fatalf("only wordfilter.yaml: error %v, want ErrNoFiles", err)
	}
}

func TestWatchSettingsChange(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"politics.block.txt": "法轮功\n"})
	s, evs := watchStore(t, dict.Config{Dir: dir, PollInterval: -1}, false)
	old := s.Current()
	if old == nil || old.Settings.Readings != dict.AllReadings {
		t.Fatalf("first load: %+v", old)
	}

	// Dropping a wordfilter.yaml in reloads, with its settings.
	writeFiles(t, dir, map[string]string{"wordfilter.yaml": "readings: [variants]\n"})
	waitFor(t, "the settings to apply", func() bool {
		return s.Current().Settings.Readings == dict.NewReadingSet(dict.ReadingVariants)
	})
	good := s.Current()
	if good.Version == old.Version || s.LastError() != "" {
		t.Fatalf("after the change: version %s (old %s), LastError %q", good.Version, old.Version, s.LastError())
	}

	// A bad one is refused and the last good dictionary stays.
	writeFiles(t, dir, map[string]string{"wordfilter.yaml": "readings: [variants]\nvariant-action: sometimes\n"})
	bad := filepath.Join(dir, "wordfilter.yaml") + `:2: variant-action: unknown action "sometimes" (want same or review)`
	waitFor(t, "the refused reload", func() bool { return s.LastError() != "" })
	if got := s.LastError(); got != bad {
		t.Fatalf("LastError = %q, want %q", got, bad)
	}
	if s.Current() != good {
		t.Fatalf("a refused wordfilter.yaml replaced the dictionary")
	}
	last := evs.list()[len(evs.list())-1]
	if !errors.Is(last.Err, dict.ErrBadSettings) || last.Changed || last.Dict != good {
		t.Fatalf("refused reload event = %+v, want ErrBadSettings, unchanged, the good dict", last)
	}

	// Fixed, it applies.
	writeFiles(t, dir, map[string]string{"wordfilter.yaml": "readings: [variants]\nvariant-action: review\n"})
	waitFor(t, "the fixed settings to apply", func() bool { return s.Current().Settings.VariantAction == dict.ActionReview })
	if s.LastError() != "" {
		t.Fatalf("LastError after the fix = %q", s.LastError())
	}
}

func TestConfigMapSettingsFlip(t *testing.T) {
	dir := t.TempDir()
	configMap(t, dir, "..2026_12_06_01_00_00.000000001", map[string]string{
		"porn.mask.txt": "cm1\n", "wordfilter.yaml": "readings: [leet]\n",
	})
	s, _ := watchStore(t, dict.Config{Dir: dir, PollInterval: -1}, false)
	d := s.Current()
	if d == nil || d.Settings.Readings != dict.NewReadingSet(dict.ReadingLeet) || s.LastError() != "" {
		t.Fatalf("first load of the ConfigMap = %+v, LastError %q; want readings leet (the visible symlink read, ..data skipped)", d, s.LastError())
	}
	// Only wordfilter.yaml changes in the flip.
	configMap(t, dir, "..2026_12_06_01_05_00.000000002", map[string]string{
		"porn.mask.txt": "cm1\n", "wordfilter.yaml": "readings: [leet, pinyin]\n",
	})
	waitFor(t, "the settings flip", func() bool {
		return s.Current().Settings.Readings == dict.NewReadingSet(dict.ReadingLeet, dict.ReadingPinyin)
	})
}
