package server_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/wordfilter/wordfilter/dict"
	"github.com/wordfilter/wordfilter/filter"
	"github.com/wordfilter/wordfilter/internal/costly"
	"github.com/wordfilter/wordfilter/server"
)

// readingsDict is a dictionary with the default readings and
// variant-action review for ads and politics, as a folder's
// wordfilter.yaml sets them.
func readingsDict(t *testing.T) *dict.Dictionary {
	t.Helper()
	d, err := dict.LoadFS(fstest.MapFS{
		"profanity.txt":      {Data: []byte("shit\n")},
		"ads.txt":            {Data: []byte("spam\n")},
		"politics.block.txt": {Data: []byte("法轮功\n")},
		"variants.txt":       {Data: []byte("法 氵去\n")},
		"wordfilter.yaml": {Data: []byte("categories:\n" +
			"  ads: { variant-action: review }\n  politics: { variant-action: review }\n")},
	}, "d", filter.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestFilterReportsVia: over a real port, /v1/filter reports the readings
// a match needed in "via" (left out for a plain match), and a match that
// variant-action review sends to review has action review and leaves the
// text unmasked. Needs the engine's variant readings.
func TestFilterReportsVia(t *testing.T) {
	d := readingsDict(t)
	ts := newTCPTestServer(t, server.Config{})
	ts.src.cur.Store(d)
	v := `"version":"` + d.Version + `"}`
	for text, want := range map[string]string{
		"oh sh1t": `{"decision":"mask","text":"oh ****","matches":[` +
			`{"word":"shit","category":"profanity","action":"mask","start":3,"end":7,"via":["leet"]}],` + v,
		"oh shit": `{"decision":"mask","text":"oh ****","matches":[` +
			`{"word":"shit","category":"profanity","action":"mask","start":3,"end":7}],` + v,
		"buy sp4m": `{"decision":"review","text":"buy sp4m","matches":[` +
			`{"word":"spam","category":"ads","action":"review","start":4,"end":8,"via":["leet"]}],` + v,
		"buy spam": `{"decision":"mask","text":"buy ****","matches":[` +
			`{"word":"spam","category":"ads","action":"mask","start":4,"end":8}],` + v,
		"氵去轮功": `{"decision":"review","text":"氵去轮功","matches":[` +
			`{"word":"法轮功","category":"politics","action":"review","start":0,"end":12,"via":["variants"]}],` + v,
	} {
		r := ts.do("POST", "/v1/filter", []byte(`{"text":"`+text+`"}`))
		if r.status != 200 || string(r.body) != want {
			t.Errorf("POST /v1/filter %q = %d\n%s\nwant\n%s", text, r.status, r.body, want)
		}
	}
	body := string(ts.do("GET", "/metrics", nil).body)
	for _, line := range []string{
		`wordfilter_matches_total{category="profanity",via="leet"} 1`,
		`wordfilter_matches_total{category="profanity",via="none"} 1`,
		`wordfilter_matches_total{category="politics",via="variants"} 1`,
	} {
		if !strings.Contains(body, "\n"+line+"\n") {
			t.Errorf("/metrics lacks %q", line)
		}
	}
}

// TestCallbacksJudgeTheMatchAction: the callbacks judge a match by its
// own action (Matcher.ActionOf), not its word's: a block word found
// through a variant form under variant-action review neither refuses a
// message nor is masked, while the word as written still refuses. Needs
// the engine's variant readings.
func TestCallbacksJudgeTheMatchAction(t *testing.T) {
	ts := newTCPTestServer(t, server.Config{})
	ts.src.cur.Store(readingsDict(t))
	if resp, _ := ts.callback("/callbackExample/"+cmdGroup, msgBody(t, cmdGroup, 101, `{"content":"氵去轮功"}`)); resp.refused(t) {
		t.Errorf("a variant match sent to review refused the message: %+v", resp)
	}
	if resp, _ := ts.callback("/callbackExample/"+cmdGroup, msgBody(t, cmdGroup, 101, `{"content":"法轮功"}`)); !resp.refused(t) {
		t.Errorf("the block word as written did not refuse the message: %+v", resp)
	}
	// Modify: review is never masked, so nothing changes and no content
	// is answered; the leet match of a mask word of profanity is masked.
	if resp, _ := ts.callback("/callbackExample/"+cmdModify, msgBody(t, cmdModify, 101, `{"content":"buy sp4m"}`)); resp.refused(t) || resp.Content != nil {
		t.Errorf("modify of a review-only variant match = %+v, want allow without content", resp)
	}
	resp, _ := ts.callback("/callbackExample/"+cmdModify, msgBody(t, cmdModify, 101, `{"content":"oh sh1t"}`))
	if resp.refused(t) || resp.Content == nil || *resp.Content != `{"content":"oh ****"}` {
		t.Errorf("modify of a leet match of a mask word = %+v, want the content masked", resp)
	}
}

// ilDict is a dictionary of costly.List, under which a run of ! and |
// costs the variant readings the most.
func ilDict(t *testing.T) *dict.Dictionary {
	t.Helper()
	d, err := dict.LoadFS(fstest.MapFS{"profanity.txt": {Data: []byte(costly.List())}}, "d", filter.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestIncompleteCounted: a text made to cost the variant readings more
// than a text may (a run of ! and | under words spelt with i and l,
// docs/matching.md "Limits") is answered as judged, with "incomplete":true
// in /v1/filter (left out for other texts) and counted by command in
// wordfilter_incomplete_total, for the REST API and a callback alike.
func TestIncompleteCounted(t *testing.T) {
	ts := newTCPTestServer(t, server.Config{})
	ts.src.cur.Store(ilDict(t))
	r := ts.do("POST", "/v1/filter", []byte(`{"text":"`+costly.Text+`"}`))
	if r.status != 200 || !strings.HasPrefix(string(r.body), `{"decision":"mask","text":"**** !|`) || !strings.HasSuffix(string(r.body), `,"incomplete":true}`) {
		t.Errorf("POST /v1/filter of a costly text = %d %.80s…%s, want sh1t masked and incomplete", r.status, r.body, r.body[max(0, len(r.body)-60):])
	}
	if r := ts.do("POST", "/v1/filter", []byte(`{"text":"sh1t !|!|"}`)); r.status != 200 || strings.Contains(string(r.body), "incomplete") {
		t.Errorf("POST /v1/filter of a short text = %d %s, want no incomplete", r.status, r.body)
	}
	resp, _ := ts.callback("/callbackExample/"+cmdModify, msgBody(t, cmdModify, 101, `{"content":"`+costly.Text+`"}`))
	if resp.refused(t) || resp.Content == nil || !strings.HasPrefix(*resp.Content, `{"content":"**** !|`) {
		t.Errorf("modify of a costly text = %+v, want allow with sh1t masked", resp)
	}
	body := string(ts.do("GET", "/metrics", nil).body)
	for _, line := range []string{
		`wordfilter_incomplete_total{command="filter"} 1`,
		`wordfilter_incomplete_total{command="` + cmdModify + `"} 1`,
		`wordfilter_incomplete_total{command="` + cmdGroup + `"} 0`,
	} {
		if !strings.Contains(body, "\n"+line+"\n") {
			t.Errorf("/metrics lacks %q", line)
		}
	}
}

// TestIncompleteRejudged: a message content that reads as a JSON object
// up to some trailing bytes is judged again as plain text, and only that
// judgement counts: the costly string read through its escapes (each !
// and | written \u0021 and \u007c) reaches a work limit, the raw text
// with its escapes does not, so the callback is not counted incomplete.
func TestIncompleteRejudged(t *testing.T) {
	ts := newTCPTestServer(t, server.Config{})
	ts.src.cur.Store(ilDict(t))
	escaped := strings.NewReplacer("!", `\u0021`, "|", `\u007c`).Replace(costly.Text)
	for _, content := range []string{
		`{"content":"` + escaped + `"}`,   // JSON: judged through its escapes
		`{"content":"` + escaped + `"} x`, // not JSON: judged as it is, no limit reached
	} {
		resp, _ := ts.callback("/callbackExample/"+cmdModify, msgBody(t, cmdModify, 101, content))
		if resp.refused(t) || resp.Content == nil || !strings.Contains(*resp.Content, "****") {
			t.Fatalf("modify of %.40q… = %+v, want allow with sh1t masked", content, resp)
		}
	}
	body := string(ts.do("GET", "/metrics", nil).body)
	if line := `wordfilter_incomplete_total{command="` + cmdModify + `"} 1`; !strings.Contains(body, "\n"+line+"\n") {
		t.Errorf("/metrics lacks %q: the content judged as plain text was counted incomplete by its JSON reading", line)
	}
}
