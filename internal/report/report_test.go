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
