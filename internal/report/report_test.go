package report_test

import (
	"testing"
	"testing/fstest"

	"github.com/wordfilter/wordfilter/dict"
	"github.com/wordfilter/wordfilter/filter"
	"github.com/wordfilter/wordfilter/internal/report"
)

func TestNewCarriesTheActionAndNeverNilMatches(t *testing.T) {
	d, err := dict.LoadFS(fstest.MapFS{
		"d/profanity.txt":      {Data: []byte("fuck\n")},
		"d/politics.block.txt": {Data: []byte("法轮功\n")},
		"d/ads.review.txt":     {Data: []byte("casino\n")},
	}, "d", filter.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]filter.Action{
		"oh fuck": filter.Mask, "法轮功": filter.Block, "casino": filter.Review, "hello": filter.Pass,
	} {
		r := report.New(d, text)
		if r.Action != want || r.Decision != want.String() || r.Version != d.Version {
			t.Errorf("New(%q) = %v %q version %q, want %v with version %q", text, r.Action, r.Decision, r.Version, want, d.Version)
		}
		if r.Matches == nil {
			t.Errorf("New(%q).Matches is nil, want an empty or full slice", text)
		}
	}
	b, err := report.Marshal(report.New(d, "a <fuck> & \xff"))
	want := `{"decision":"mask","text":"a <****> & \ufffd","matches":[{"word":"fuck","category":"profanity","action":"mask","start":3,"end":7}],"version":"` + d.Version + `"}`
	if err != nil || string(b) != want {
		t.Errorf("Marshal = %s, %v; want %s", b, err, want)
	}
}

// TestMatchJSONShape pins the JSON of a match (the REST API's, README): via
// after end, left out when the match needed no reading, and the engine's
// set of readings never encoded.
func TestMatchJSONShape(t *testing.T) {
	r := report.Report{Decision: "mask", Text: "x", Version: "v", Matches: []report.Match{
		{Word: "fuck", Category: "profanity", Action: "mask", Start: 0, End: 7,
			Via: (filter.ReadRepeat | filter.ReadLeet).Names(), Readings: filter.ReadRepeat | filter.ReadLeet},
		{Word: "shit", Category: "profanity", Action: "mask", Start: 8, End: 12},
		{Word: "法轮功", Category: "politics", Action: "review", Start: 13, End: 22,
			Via: filter.ReadVariants.Names(), Readings: filter.ReadVariants, Source: "politics.block.txt:1"},
	}}
	b, err := report.Marshal(r)
	want := `{"decision":"mask","text":"x","matches":[` +
		`{"word":"fuck","category":"profanity","action":"mask","start":0,"end":7,"via":["repeat","leet"]},` +
		`{"word":"shit","category":"profanity","action":"mask","start":8,"end":12},` +
		`{"word":"法轮功","category":"politics","action":"review","start":13,"end":22,"via":["variants"],"source":"politics.block.txt:1"}` +
		`],"version":"v"}`
	if err != nil || string(b) != want {
		t.Errorf("Marshal =\n%s, %v\nwant\n%s", b, err, want)
	}
}

// TestNewReportsViaAndTheEffectiveAction checks that a match found
// through a variant reading reports it in via, and that variant-action
// review makes its action review and leaves the text unmasked. It needs
// the engine's variant readings.
func TestNewReportsViaAndTheEffectiveAction(t *testing.T) {
	d, err := dict.LoadFS(fstest.MapFS{
		"profanity.txt":   {Data: []byte("shit\n")},
		"ads.txt":         {Data: []byte("spam\n")},
		"wordfilter.yaml": {Data: []byte("categories:\n  ads: { variant-action: review }\n")},
	}, "d", filter.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]string{
		"sh1t": `{"decision":"mask","text":"****","matches":[{"word":"shit","category":"profanity","action":"mask","start":0,"end":4,"via":["leet"]}],"version":"` + d.Version + `"}`,
		"sp4m": `{"decision":"review","text":"sp4m","matches":[{"word":"spam","category":"ads","action":"review","start":0,"end":4,"via":["leet"]}],"version":"` + d.Version + `"}`,
		"spam": `{"decision":"mask","text":"****","matches":[{"word":"spam","category":"ads","action":"mask","start":0,"end":4}],"version":"` + d.Version + `"}`,
	} {
		r := report.New(d, text)
		b, err := report.Marshal(r)
		if err != nil || string(b) != want {
			t.Errorf("New(%q) =\n%s, %v\nwant\n%s", text, b, err, want)
		}
	}
}
