package server_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/wordfilter/wordfilter/dict"
	"github.com/wordfilter/wordfilter/filter"
	"github.com/wordfilter/wordfilter/server"
)

// TestFilterExplainNamesTheDictionaryLine: "explain":true adds to every
// match the path:line of the dictionary line it came from, relative to the
// folder, for one text and for a batch; without it there is no source.
func TestFilterExplainNamesTheDictionaryLine(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"profanity.txt":         "# words\nfuck\n",
		"zh/politics.block.txt": "\n\n法轮功\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d, err := dict.Load(dir, filter.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ts := newTCPTestServer(t, server.Config{})
	ts.src.cur.Store(d)
	type match struct {
		Word   string  `json:"word"`
		Source *string `json:"source"`
	}
	type result struct {
		Matches []match `json:"matches"`
	}
	r := ts.do("POST", "/v1/filter", []byte(`{"text":"fuck 法 轮 功","explain":true}`))
	var one result
	if err := json.Unmarshal(r.body, &one); err != nil || r.status != 200 {
		t.Fatalf("explain = %d %s", r.status, r.body)
	}
	want := []string{"profanity.txt:2", "zh/politics.block.txt:3"}
	if len(one.Matches) != 2 {
		t.Fatalf("matches %s", r.body)
	}
	for i, m := range one.Matches {
		if m.Source == nil || *m.Source != want[i] {
			t.Errorf("match %q source = %v, want %s", m.Word, m.Source, want[i])
		}
	}
	r = ts.do("POST", "/v1/filter", []byte(`{"texts":["fuck","ok"],"explain":true}`))
	var batch struct {
		Results []result `json:"results"`
	}
	if err := json.Unmarshal(r.body, &batch); err != nil || len(batch.Results) != 2 || len(batch.Results[0].Matches) != 1 ||
		batch.Results[0].Matches[0].Source == nil || *batch.Results[0].Matches[0].Source != "profanity.txt:2" {
		t.Errorf("batch explain = %s", r.body)
	}
	// A variant match also says the folded form that matched; a plain
	// one does not.
	r = ts.do("POST", "/v1/filter", []byte(`{"text":"ｆｕｕｃｋ fuck ｆｕｃｋ","explain":true}`))
	var folded struct {
		Matches []struct {
			Folded *string  `json:"folded"`
			Via    []string `json:"via"`
		} `json:"matches"`
	}
	if err := json.Unmarshal(r.body, &folded); err != nil || len(folded.Matches) != 3 {
		t.Fatalf("explain of variants = %s", r.body)
	}
	if m := folded.Matches[0]; m.Folded == nil || *m.Folded != "fuuck" || len(m.Via) != 1 || m.Via[0] != "repeat" {
		t.Errorf("variant match = %+v, want folded fuuck via repeat (%s)", m, r.body)
	}
	for _, m := range folded.Matches[1:] {
		if m.Folded != nil || m.Via != nil {
			t.Errorf("plain match has folded %v via %v (%s)", m.Folded, m.Via, r.body)
		}
	}
	r = ts.do("POST", "/v1/filter", []byte(`{"text":"fuck"}`))
	var plain result
	if err := json.Unmarshal(r.body, &plain); err != nil || len(plain.Matches) != 1 || plain.Matches[0].Source != nil {
		t.Errorf("without explain = %s, want no source", r.body)
	}
}

// TestDictShowsTheSettingsInForce: /v1/dict (and so the console) shows the
// readings and actions of wordfilter.yaml, per category.
func TestDictShowsTheSettingsInForce(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"ads.review.txt":  "buy now\n",
		"politics.txt":    "法轮功\n",
		"variants.txt":    "法 氵去\n",
		"wordfilter.yaml": "readings: [repeat, leet]\ncategories:\n  ads: { readings: [] }\n  politics: { pinyin-action: same }\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d, err := dict.Load(dir, filter.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ts := newTCPTestServer(t, server.Config{})
	ts.src.cur.Store(d)
	r := ts.do("GET", "/v1/dict", nil)
	var got struct {
		Settings struct {
			Readings, VariantAction, PinyinAction string
			Variants                              int
			Categories                            map[string]struct{ Readings, VariantAction, PinyinAction string }
		} `json:"settings"`
	}
	if err := json.Unmarshal(r.body, &got); err != nil {
		t.Fatalf("/v1/dict = %s: %v", r.body, err)
	}
	st := got.Settings
	if st.Readings != "repeat,leet" || st.VariantAction != "same" || st.PinyinAction != "review" || st.Variants != 1 ||
		st.Categories["ads"].Readings != "none" || st.Categories["politics"].PinyinAction != "same" ||
		st.Categories["politics"].Readings != "repeat,leet" {
		t.Errorf("settings = %+v (from %s)", st, r.body)
	}
}
