package server_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/wordfilter/wordfilter/server"
)

// Deep nesting in the body or inside the double-encoded content must not
// crash the process (a Go stack overflow cannot be recovered).
func TestDeepNesting(t *testing.T) {
	srv, err := server.New(server.Config{}, func() *fakeSource {
		s := &fakeSource{}
		s.cur.Store(newDict(t, "v1", testWords))
		return s
	}(), nil)
	if err != nil {
		t.Fatal(err)
	}
	const depth = 200000
	deep := strings.Repeat("[", depth) + strings.Repeat("]", depth)
	deepObj := strings.Repeat(`{"a":`, depth) + "1" + strings.Repeat("}", depth)
	bodies := map[string][]byte{
		"body array":  []byte(deep),
		"body object": []byte(deepObj),
		"body field":  []byte(`{"contentType":101,"x":` + deep + `,"content":"{\"content\":\"fuck\"}"}`),
	}
	for _, elem := range []string{deep, `{"x":` + deep + `,"content":"fuck"}`, `{"x":` + deepObj + `,"content":"fuck"}`, `{"content":"fuck","x":` + deep + `}`} {
		b, _ := json.Marshal(map[string]any{"contentType": 101, "content": elem})
		bodies["content "+elem[:8]] = b
		b, _ = json.Marshal(map[string]any{"contentType": 106, "content": elem})
		bodies["content 106 "+elem[:8]] = b
	}
	for name, body := range bodies {
		for _, path := range []string{"/cb/callbackBeforeMsgModifyCommand", "/cb/callbackBeforeSetGroupInfoExCommand",
			"/cb/callbackBeforeUserRegisterCommand", "/v1/filter"} {
			ctx := newCtx("POST", path, body)
			srv.Handler(ctx)
			if !json.Valid(ctx.Response.Body()) {
				t.Errorf("%s on %s: answer %.100s is not JSON", name, path, ctx.Response.Body())
			}
		}
	}
}
