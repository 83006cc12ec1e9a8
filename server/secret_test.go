package server_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/wordfilter/wordfilter/server"
)

// secret stands for the text of a message: no answer may echo it.
const secret = "Qz7SECRETxj"

// hostileShapes are malformed bodies holding secret: wrong types,
// truncated, deeply nested, invalid UTF-8, huge numbers.
func hostileShapes() []string {
	S := secret
	deep := strings.Repeat("[", 5000) + `"` + S + `"` + strings.Repeat("]", 5000)
	return []string{
		`{"text":123,"note":"` + S + `"}`,
		`{"text":["` + S + `"]}`,
		`{"text":{"` + S + `":"` + S + `"}}`,
		`{"text":true,"` + S + `":1}`,
		`{"texts":["` + S + `",1]}`,
		`{"texts":"` + S + `"}`,
		`{"texts":[["` + S + `"]]}`,
		`{"texts":[{"text":"` + S + `"}]}`,
		`{"text":"` + S + `","texts":5}`,
		`{"text":5,"texts":["` + S + `"]}`,
		`{"text":"` + S,
		`{"text":"` + S + `"`,
		`{"text":"` + S + `",}`,
		`{"text":"` + S + `"} trailing ` + S,
		`{"` + S,
		`["` + S + `"]`,
		`"` + S + `"`,
		S,
		`{"text":` + deep + `}`,
		`{"texts":[` + deep + `]}`,
		deep,
		`{"text":5,"note":"` + S + "\xff\xfe\xc0" + `"}`,
		`{"text":"` + S + "\xff\xfe" + `` + `,}`,
		`{"text":"` + S + `\uZZZZ"}`,
		`{"text":"` + S + "\x00\x01" + `"}x`,
		`{"text":1e999999,"note":"` + S + `"}`,
		`{"text":123456789012345678901234567890,"note":"` + S + `"}`,
		`{"text":-` + strings.Repeat("9", 400) + `,"note":"` + S + `"}`,
		`{"contentType":101,"content":5,"note":"` + S + `"}`,
		`{"contentType":"` + S + `","content":"x"}`,
		`{"contentType":101,"content":{"` + S + `":1}}`,
		`{"contentType":101,"content":["` + S + `"]}`,
		`{"contentType":1e999,"content":"` + S + `"}`,
		`{"contentType":` + strings.Repeat("9", 400) + `,"content":"` + S + `"}`,
		`{"contentType":101,"content":"` + S + `"`,
		`{"contentType":101,"content":"` + S + "\xff" + `",}`,
		`{"sendID":["` + S + `"],"contentType":101,"content":"x"}`,
		`{"nickname":{"` + S + `":1},"userID":"u"}`,
		`{"userInfo":{"nickname":["` + S + `"]}}`,
		`{"groupInfo":{"groupName":5,"introduction":"` + S + `"}}`,
		`{"contentType":101,"content":"x","` + S + `":` + deep + `}`,
	}
}

// Error answers say what is wrong in general terms, briefly, and never
// echo the body.
func TestErrorsNeverEchoTheBody(t *testing.T) {
	ts := newTestServer(t, server.Config{})
	type errAnswer struct {
		Error  string `json:"error"`
		ErrMsg string `json:"errMsg"`
		ErrDlt string `json:"errDlt"`
	}
	check := func(what string, r response) {
		t.Helper()
		if strings.Contains(strings.ToLower(string(r.body)), strings.ToLower(secret)) {
			t.Errorf("%s = %d %s: echoes the body", what, r.status, r.body)
			return
		}
		var e errAnswer
		if err := json.Unmarshal(r.body, &e); err != nil {
			t.Errorf("%s = %d %s: not JSON", what, r.status, r.body)
			return
		}
		for _, m := range []string{e.Error, e.ErrMsg, e.ErrDlt} {
			if len(m) > 200 {
				t.Errorf("%s: message of %d bytes, want at most 200: %q", what, len(m), m)
			}
		}
		if testing.Verbose() && (e.Error != "" || e.ErrMsg != "") {
			t.Logf("%s = %d %q%q", what, r.status, e.Error, e.ErrMsg)
		}
	}
	for i, body := range hostileShapes() {
		for _, path := range []string{"/v1/filter", "/v1/dict", "/v1/dict/reload", "/v1/nope"} {
			r := ts.do("POST", path, []byte(body))
			check(fmt.Sprintf("shape %d to %s", i, path), r)
			if path == "/v1/filter" && r.status < 400 {
				t.Errorf("shape %d %.60q to /v1/filter = %d %s, want an error", i, body, r.status, r.body)
			}
		}
		for _, cmd := range []string{cmdModify, cmdSingle, cmdGroup, "callbackBeforeUpdateUserInfoExCommand",
			"callbackBeforeSetGroupInfoExCommand", "callbackBeforeAddFriendCommand", "somethingNew"} {
			check(fmt.Sprintf("shape %d to %s", i, cmd), ts.do("POST", "/callbackExample/"+cmd, []byte(body)))
		}
	}
}

// The REST errors name the field that is wrong.
func TestFilterErrorsNameTheField(t *testing.T) {
	ts := newTestServer(t, server.Config{})
	for body, want := range map[string]string{
		`{"text":123}`:            `cannot decode request: field "text": want a string`,
		`{"text":["a"]}`:          `cannot decode request: field "text": want a string`,
		`{"texts":["a",1]}`:       `cannot decode request: field "texts": element 1: want a string`,
		`{"texts":"a"}`:           `cannot decode request: field "texts": want an array of strings`,
		`["a"]`:                   `cannot decode request: want a JSON object`,
		`{"text":"a"`:             `request body is not valid JSON`,
		`{"text":"a","texts":{}}`: `cannot decode request: field "texts": want an array of strings`,
	} {
		r := ts.do("POST", "/v1/filter", []byte(body))
		var e struct {
			Error string `json:"error"`
		}
		if r.status != 400 || json.Unmarshal(r.body, &e) != nil || e.Error != want {
			t.Errorf("POST /v1/filter %s = %d %s, want 400 %q", body, r.status, r.body, want)
		}
	}
	// A callback's type mismatch says what was wanted, what came and where.
	r := ts.do("POST", "/callbackExample/"+cmdModify, []byte(`{"contentType":"101","content":"x"}`))
	var e openIMResp
	if r.status != 400 || json.Unmarshal(r.body, &e) != nil ||
		!strings.HasPrefix(e.ErrMsg, "word filter unavailable: cannot decode "+cmdModify+" body: at byte 15: want an integer") ||
		!strings.HasSuffix(e.ErrMsg, "got a string") {
		t.Errorf("callback with contentType \"101\" = %d %s", r.status, r.body)
	}
}
