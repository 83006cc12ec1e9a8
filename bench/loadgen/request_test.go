package loadgen_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/wordfilter/wordfilter/bench/loadgen"
	"github.com/wordfilter/wordfilter/internal/shareddata"
)

// commonKeys are the keys of open-im-server's CommonCallbackReq, in the
// order Go's encoder writes them.
var commonKeys = []string{"sendID", "callbackCommand", "serverMsgID", "clientMsgID", "operationID",
	"senderPlatformID", "senderNickname", "sessionType", "msgFrom", "contentType", "status", "sendTime",
	"createTime", "content", "seq", "atUserList", "faceURL", "ex"}

// keyOrder returns the top-level keys of the JSON object b, in order.
func keyOrder(t *testing.T, b []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	var keys []string
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("body does not start with an object: %v %v", tok, err)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

func TestBuildBodiesAreOpenIMCallbacks(t *testing.T) {
	msgs := []string{"hello <b> & world", "你好，法轮功", "plain text"}
	mix, err := loadgen.ParseMix(strings.Join(loadgen.KindNames(), ","))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)
	reqs, err := loadgen.Build(msgs, mix, loadgen.BuildConfig{Count: 300, Seed: 7, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if len(reqs) != 300 {
		t.Fatalf("Build made %d requests, want 300", len(reqs))
	}
	counts := loadgen.KindCounts(reqs)
	for _, k := range loadgen.KindNames() {
		if counts[k] == 0 {
			t.Errorf("no request of kind %s in 300 with equal weights: %v", k, counts)
		}
	}
	for _, r := range reqs {
		body := r.Body
		if !bytes.HasSuffix(body, []byte("}\n")) {
			t.Fatalf("%s: body does not end with the encoder's newline: %q", r.Kind, body)
		}
		if bytes.ContainsAny(body, "<>&") {
			t.Fatalf("%s: body is not HTML-escaped as Go's encoder does: %s", r.Kind, body)
		}
		var req struct {
			loadgen.CommonCallbackReq
			RecvID  *string `json:"recvID"`
			GroupID *string `json:"groupID"`
		}
		if err := json.Unmarshal(body, &req); err != nil {
			t.Fatalf("%s: body does not decode: %v", r.Kind, err)
		}
		if !strings.HasSuffix(r.Path, "/"+req.CallbackCommand) || !strings.HasPrefix(r.Path, "/callbackExample/") {
			t.Errorf("%s: path %q does not end with the body's command %q", r.Kind, r.Path, req.CallbackCommand)
		}
		if req.OperationID != r.OperationID || req.OperationID == "" {
			t.Errorf("%s: operationID %q in body, %q for the header", r.Kind, req.OperationID, r.OperationID)
		}
		keys := keyOrder(t, body)
		want := append([]string(nil), commonKeys...)
		switch req.CallbackCommand {
		case loadgen.CmdSendSingle:
			want = append(want, "recvID")
		case loadgen.CmdSendGroup:
			want = append(want, "groupID")
		}
		if strings.Join(keys, ",") != strings.Join(want, ",") {
			t.Errorf("%s: keys %v, want %v", r.Kind, keys, want)
		}
		if req.MsgFrom != 100 || req.SendTime < now.UnixMilli() || req.Seq != 0 {
			t.Errorf("%s: msgFrom %d sendTime %d seq %d", r.Kind, req.MsgFrom, req.SendTime, req.Seq)
		}
		// Double encoding: content is a string holding the element JSON.
		var elem map[string]any
		if err := json.Unmarshal([]byte(req.Content), &elem); err != nil {
			t.Fatalf("%s: content %q is not element JSON: %v", r.Kind, req.Content, err)
		}
		textKey := "text"
		switch req.ContentType {
		case loadgen.ContentText:
			textKey = "content"
			if req.AtUserList != nil {
				t.Errorf("%s: atUserList %v, want null for text", r.Kind, req.AtUserList)
			}
			if !bytes.Contains(body, []byte(`"atUserList":null`)) {
				t.Errorf("%s: body lacks \"atUserList\":null", r.Kind)
			}
		case loadgen.ContentAtText:
			if len(req.AtUserList) != 1 || elem["atUserList"] == nil {
				t.Errorf("%s: @-text without its @-user list: %v / %v", r.Kind, req.AtUserList, elem)
			}
		case loadgen.ContentQuote:
			q, ok := elem["quoteMessage"].(map[string]any)
			if !ok {
				t.Fatalf("%s: quote without quoteMessage: %v", r.Kind, elem)
			}
			var inner loadgen.TextElem
			if s, _ := q["content"].(string); json.Unmarshal([]byte(s), &inner) != nil || !contains(msgs, inner.Content) {
				t.Errorf("%s: quoted message content %v is not a text element of a corpus line", r.Kind, q["content"])
			}
		default:
			t.Fatalf("%s: content type %d", r.Kind, req.ContentType)
		}
		text, _ := elem[textKey].(string)
		if req.ContentType == loadgen.ContentAtText {
			_, text, _ = strings.Cut(text, " ") // after "@user "
		}
		if !contains(msgs, text) {
			t.Errorf("%s: %s %q is not a corpus line", r.Kind, textKey, text)
		}
		if req.CallbackCommand == loadgen.CmdSendSingle && (req.RecvID == nil || *req.RecvID == "" || req.SessionType != 1) {
			t.Errorf("%s: single chat without recvID or with session type %d", r.Kind, req.SessionType)
		}
		if req.CallbackCommand == loadgen.CmdSendGroup && (req.GroupID == nil || *req.GroupID == "" || req.SessionType != 3) {
			t.Errorf("%s: group chat without groupID or with session type %d", r.Kind, req.SessionType)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestBuildIsReproducibleAndWeighted(t *testing.T) {
	msgs := []string{"a", "b", "c", "d"}
	mix, err := loadgen.ParseMix("modify=3,group-101=1")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1e9, 0)
	a, _ := loadgen.Build(msgs, mix, loadgen.BuildConfig{Count: 4000, Seed: 3, Now: now, Prefix: "/"})
	b, _ := loadgen.Build(msgs, mix, loadgen.BuildConfig{Count: 4000, Seed: 3, Now: now, Prefix: "/"})
	for i := range a {
		if !bytes.Equal(a[i].Body, b[i].Body) {
			t.Fatalf("request %d differs between two builds with the same seed", i)
		}
	}
	if a[0].Path != "/"+loadgen.CmdModify && a[0].Path != "/"+loadgen.CmdSendGroup {
		t.Errorf("path with prefix \"/\" = %q, want the bare command", a[0].Path)
	}
	c := loadgen.KindCounts(a)
	if c["modify"] < 2800 || c["modify"] > 3200 || c["modify"]+c["group-101"] != 4000 {
		t.Errorf("kinds %v, want about 3000 modify and 1000 group-101", c)
	}
}

func TestParseMix(t *testing.T) {
	f := func(in, want string, ok bool) {
		t.Helper()
		m, err := loadgen.ParseMix(in)
		if (err == nil) != ok {
			t.Fatalf("ParseMix(%q) error = %v, want ok %v", in, err, ok)
		}
		if ok && m.String() != want {
			t.Errorf("ParseMix(%q) = %q, want %q", in, m.String(), want)
		}
	}
	f("modify", "modify=1", true)
	f(" modify=6, group-101=2 ,single-106", "modify=6,group-101=2,single-106=1", true)
	f("modify=0,group-114=5", "group-114=5", true)
	f("", "", false)
	f("modify=0", "", false)
	f("modify=x", "", false)
	f("modify=-1", "", false)
	f("modify,modify", "", false)
	f("delete=1", "", false)
}

func TestReadMessages(t *testing.T) {
	msgs, err := loadgen.ReadMessages(strings.NewReader("one\r\n\n  \ntwo words\nthree\n"), 0)
	if err != nil || strings.Join(msgs, "|") != "one|two words|three" {
		t.Errorf("ReadMessages = %q, %v", msgs, err)
	}
	msgs, _ = loadgen.ReadMessages(strings.NewReader("a\nb\nc\n"), 2)
	if len(msgs) != 2 {
		t.Errorf("ReadMessages with max 2 read %d", len(msgs))
	}
	if _, err := loadgen.LoadMessages([]string{t.TempDir() + "/absent.txt"}, 0); err == nil {
		t.Error("LoadMessages of an absent file: no error")
	}
}

func TestBuildFromSharedCorpus(t *testing.T) {
	path := shareddata.Path(t, "corpus/zh-chat.txt")
	msgs, err := loadgen.LoadMessages([]string{path}, 5000)
	if err != nil {
		t.Fatal(err)
	}
	mix, _ := loadgen.ParseMix("modify=1,group-106=1,single-114=1")
	reqs, err := loadgen.Build(msgs, mix, loadgen.BuildConfig{Count: 2000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reqs {
		if !json.Valid(r.Body) {
			t.Fatalf("%s: invalid JSON body %q", r.Kind, r.Body)
		}
	}
}
