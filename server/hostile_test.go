package server_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/wordfilter/wordfilter/server"
)

// hostileCases are content elements a sending client may craft so that the
// filter judges one value while receivers show another. Each must be
// refused by every message callback, with the kind counted.
var hostileCases = []struct {
	name        string
	contentType int32
	element     string
	kind        string
}{
	{"duplicate, last dirty", 101, `{"content":"hello","content":"fuck you"}`, "duplicate_key"},
	{"duplicate, first dirty", 101, `{"content":"fuck you","content":"hello"}`, "duplicate_key"},
	{"duplicate by escape", 101, `{"content":"hello","con\u0074ent":"fuck"}`, "duplicate_key"},
	{"duplicate clean key", 101, `{"content":"hi","x":1,"x":2}`, "duplicate_key"},
	{"case variant beside", 101, `{"content":"hi","Content":"fuck"}`, "case_variant"},
	{"case variant alone", 101, `{"CONTENT":"法轮功"}`, "case_variant"},
	{"Kelvin sign", 108, `{"nickname":"Ann","nic\u212Aname":"fuck"}`, "case_variant"},
	{"long s", 109, `{"deſcription":"fuck"}`, "case_variant"},
	{"AtText text", 106, `{"text":"hi","Text":"fuck","atUserList":["bob"]}`, "case_variant"},
	{"AtText nickname", 106, `{"text":"hi","atUsersInfo":[{"atUserID":"b","groupNickname":"A","GroupNickname":"fuck"}]}`, "case_variant"},
	{"Quote text", 114, `{"text":"hi","text":"fuck","quoteMessage":null}`, "duplicate_key"},
	{"AdvancedText text", 117, `{"TEXT":"fuck","messageEntityList":[]}`, "case_variant"},
	{"Merger list twice", 107, `{"title":"t","abstractList":["a"],"abstractList":["fuck"]}`, "duplicate_key"},
	{"array for text", 101, `{"content":["fuck"]}`, "wrong_type"},
	{"object for text", 114, `{"text":{"t":"fuck"}}`, "wrong_type"},
	{"nested duplicate", 114, `{"text":"hi","quoteMessage":{"contentType":101,"textElem":{"content":"hi","content":"fuck"}}}`, "duplicate_key"},
	{"nested content duplicate", 114, `{"text":"hi","quoteMessage":{"contentType":101,"content":"{\"content\":\"hi\",\"content\":\"fuck\"}"}}`, "duplicate_key"},
	{"duplicate among many keys", 101, `{"content":"hi",` + manyKeys(40) + `,"k7":1}`, "duplicate_key"},
	{"too deep", 114, `{"text":"a","quoteMessage":` + strings.Repeat(`{"quoteElem":{"text":"a","quoteMessage":`, 9) + `null` + strings.Repeat(`}}`, 9) + `}`, "too_deep"},
}

func TestHostileElementsAreRefused(t *testing.T) {
	ts := newTCPTestServer(t, server.Config{})
	for _, tc := range hostileCases {
		for _, cmd := range []string{cmdModify, cmdModifyOld, cmdSingle, cmdGroup} {
			resp, _ := ts.callback("/callbackExample/"+cmd, msgBody(t, cmd, tc.contentType, tc.element))
			if !resp.refused(t) || resp.ErrCode != server.DefaultBlockCode {
				t.Errorf("%s: %s %s answered %+v, want a refusal", tc.name, cmd, tc.element, resp)
			}
			if strings.Contains(resp.ErrMsg, "fuck") || strings.Contains(resp.ErrMsg, "法轮") {
				t.Errorf("%s: errMsg %q quotes the message", tc.name, resp.ErrMsg)
			}
		}
	}
	metrics := string(ts.do("GET", "/metrics", nil).body)
	for _, tc := range hostileCases {
		if !strings.Contains(metrics, `wordfilter_hostile_content_total{kind="`+tc.kind+`"}`) {
			t.Errorf("metrics lack the hostile kind %s", tc.kind)
		}
	}
	want := map[string]int{}
	for _, tc := range hostileCases {
		want[tc.kind] += 4
	}
	for kind, n := range want {
		if got := metricValue(t, metrics, `wordfilter_hostile_content_total{kind="`+kind+`"}`); got != float64(n) {
			t.Errorf("wordfilter_hostile_content_total{kind=%q} = %v, want %d", kind, got, n)
		}
	}
}

// TestHostileLookingElementsThatAreFine: receivers read these the same way
// the filter does, so they are judged, not refused.
func TestHostileLookingElementsThatAreFine(t *testing.T) {
	ts := newTCPTestServer(t, server.Config{})
	for _, tc := range []struct {
		contentType int32
		element     string
		want        string // the content answered, "" for none
	}{
		// A key of another type's text, or a case variant of a key that
		// is not text, is not shown by receivers of this type.
		{101, `{"content":"hi","text":"fuck","Ex":"x","ex":"y"}`, ""},
		{101, `{"con\u0074ent":"fuck"}`, `{"con\u0074ent":"****"}`},
		{101, `{"content":"\u0066uck"}`, `{"content":"****"}`},
		{101, ` {"content":"fuck"} `, ` {"content":"****"} `},
		{101, `{"content":null}`, ""},
		{101, `{"content":"fuck",` + manyKeys(40) + `}`, `{"content":"****",` + manyKeys(40) + `}`},
		// Not JSON: plain text, masked in place.
		{101, `{"content":"hi","content":"fuck"`, `{"content":"hi","content":"****"`},
	} {
		resp, _ := ts.callback("/callbackExample/"+cmdModify, msgBody(t, cmdModify, tc.contentType, tc.element))
		if resp.refused(t) {
			t.Errorf("%s refused: %+v", tc.element, resp)
			continue
		}
		if got := ptrStr(resp.Content); (tc.want == "" && resp.Content != nil) || (tc.want != "" && got != tc.want) {
			t.Errorf("%s answered content %s, want %s", tc.element, got, tc.want)
		}
	}
}

// TestFabricatedQuotesAreRefused: a quoted or forwarded message is written
// by the sending client like the rest of the element. It cannot be
// rewritten in place, so an unmasked word in it refuses the message, in
// every place a receiver may show it from.
func TestFabricatedQuotesAreRefused(t *testing.T) {
	ts := newTCPTestServer(t, server.Config{ModifyContentTypes: []int32{101, 106, 107, 114}})
	for _, elem := range []struct {
		contentType int32
		element     string
	}{
		{114, `{"text":"hi","quoteMessage":{"contentType":101,"content":"{\"content\":\"fuck\"}"}}`},
		{114, `{"text":"hi","quoteMessage":{"contentType":101,"textElem":{"content":"fuck"}}}`},
		{114, `{"text":"hi","quoteMessage":{"contentType":101,"senderNickname":"fuck"}}`},
		{114, `{"text":"hi","quoteMessage":{"contentType":114,"quoteElem":{"text":"x","quoteMessage":{"atTextElem":{"text":"fuck"}}}}}`},
		{114, `{"text":"hi","quoteMessage":{"contentType":101,"content":"not json, fuck"}}`},
		{106, `{"text":"hi","quoteMessage":{"contentType":101,"content":"{\"text\":\"fuck\"}"}}`},
		{107, `{"title":"t","multiMessage":[{"contentType":101,"content":"{\"content\":\"hi\"}"},{"mergeElem":{"abstractList":["fuck"]}}]}`},
	} {
		for _, cmd := range []string{cmdModify, cmdSingle} {
			resp, _ := ts.callback("/callbackExample/"+cmd, msgBody(t, cmd, elem.contentType, elem.element))
			if !resp.refused(t) {
				t.Errorf("%s %s answered %+v, want a refusal", cmd, elem.element, resp)
			}
		}
	}
}

// metricValue returns the value of the sample named name in Prometheus
// text, or -1 when it is absent.
func metricValue(t testing.TB, text, name string) float64 {
	t.Helper()
	for _, line := range strings.Split(text, "\n") {
		if rest, ok := strings.CutPrefix(line, name+" "); ok {
			var v float64
			if err := json.Unmarshal([]byte(rest), &v); err != nil {
				t.Fatalf("metric %s: bad value %q", name, rest)
			}
			return v
		}
	}
	return -1
}

// manyKeys returns n distinct members "k0":0,... (past the linear scan of
// duplicate keys).
func manyKeys(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = `"k` + strconv.Itoa(i) + `":0`
	}
	return strings.Join(parts, ",")
}
