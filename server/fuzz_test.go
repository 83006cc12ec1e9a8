package server_test

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/bytedance/sonic"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/wordfilter/wordfilter/server"
)

// FuzzHandler feeds arbitrary paths and bodies to every route: the server
// must never panic and must always answer JSON (Prometheus text on
// /metrics). The content of a body shaped like a message callback is also
// sent as OpenIM would send it to each message callback, and no receiver
// may read a word the dictionary masks or blocks from what the answer
// delivers (the property of TestNoReceiverReadsAWordTheFilterMustHide).
func FuzzHandler(f *testing.F) {
	for _, tc := range maskCases {
		for _, cmd := range []string{cmdModify, cmdSingle, cmdGroup} {
			f.Add("/callbackExample/"+cmd, msgBody(f, cmd, tc.contentType, tc.element))
		}
	}
	for _, tc := range profileCases {
		f.Add("/callbackExample/"+tc.cmd, []byte(tc.body))
	}
	for _, p := range []string{"/v1/filter", "/v1/dict", "/v1/dict/reload", "/healthz", "/readyz", "/metrics", "//x//", "/x/%2F"} {
		f.Add(p, []byte(`{"text":"fuck","texts":["法轮功",""]}`))
	}
	f.Add("/cb/"+cmdModify, []byte(`{"contentType":106,"content":"{\"text\":1,\"atUsersInfo\":[{\"groupNickname\":[]},7,{\"groupNickname\":\"fuck\"}]}"}`))
	f.Add("/cb/"+cmdModify, []byte(`{"contentType":107,"content":"{\"title\":\"fuck\",\"abstractList\":[1,\"fuck\",{]}"}`))
	f.Add("/cb/"+cmdModify, []byte("{\"contentType\":101,\"content\":\"{\\\"content\\\":\\\"f\xffuck\\\"}\"}"))
	for _, tc := range hostileCases {
		f.Add("/cb/"+cmdModify, msgBody(f, cmdModify, tc.contentType, tc.element))
	}
	g := elemGen{r: rand.New(rand.NewPCG(3, 4)), hostile: true}
	for _, ct := range []int32{101, 106, 107, 114} {
		f.Add("/cb/"+cmdModify, rawMsgBody(cmdModify, ct, g.element(ct, 0)))
	}
	f.Add("/cb/callbackBeforeUserRegisterCommand", []byte(`{"users":[null,1,"x",{"nickname":5},{"nickname":"fuck"}]}`))

	core, logs := observer.New(zap.ErrorLevel)
	src := &fakeSource{}
	d := newDict(f, "v1", testWords)
	m, modify := d.Matcher, map[int32]bool{101: true} // the default -modify-types
	src.cur.Store(d)
	srv, err := server.New(server.Config{MaxBodySize: 1 << 16}, src, zap.New(core))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, path string, body []byte) {
		if !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		for _, method := range []string{"POST", "GET"} {
			ctx := newCtx(method, path, body)
			srv.Handler(ctx)
			if n := logs.Len(); n > 0 {
				t.Fatalf("%s %q %q: %d error log lines, first %v", method, path, body, n, logs.All()[0].ContextMap())
			}
			ct := string(ctx.Response.Header.ContentType())
			if strings.HasPrefix(ct, "text/plain") && string(ctx.Path()) == "/metrics" {
				continue
			}
			if ct != "application/json" || !json.Valid(ctx.Response.Body()) {
				t.Fatalf("%s %q %q answered %d %q %q, want JSON", method, path, body,
					ctx.Response.StatusCode(), ct, ctx.Response.Body())
			}
			if method == "POST" && isCallbackPath(path) && !sonic.Valid(body) && len(body) <= 1<<16 &&
				ctx.Response.StatusCode() != 400 {
				t.Fatalf("POST %q with a body that is not JSON %q answered %d %q, want 400",
					path, body, ctx.Response.StatusCode(), ctx.Response.Body())
			}
			var resp openIMResp
			if ctx.Response.StatusCode() == 200 && json.Unmarshal(ctx.Response.Body(), &resp) == nil &&
				resp.Content != nil && !json.Valid([]byte(*resp.Content)) && json.Valid([]byte(contentOf(body))) {
				t.Fatalf("%q: answered content %q is not JSON although the request's was", body, *resp.Content)
			}
		}
		ct, content, ok := msgOf(body)
		if !ok {
			return
		}
		for _, cmd := range []string{cmdModify, cmdSingle, cmdGroup} {
			ctx := newCtx("POST", "/cb/"+cmd, rawMsgBody(cmd, ct, content))
			srv.Handler(ctx)
			if v := checkDelivered(m, cmd, modify, ct, content, ctx.Response.Body()); v != "" {
				t.Fatalf("%s type %d content %q answered %s:\n%s", cmd, ct, content, ctx.Response.Body(), v)
			}
		}
	})
}

// msgOf returns the content type and content of a body shaped like a
// message callback.
func msgOf(body []byte) (int32, string, bool) {
	var req struct {
		ContentType *int32  `json:"contentType"`
		Content     *string `json:"content"`
	}
	if json.Unmarshal(body, &req) != nil || req.ContentType == nil || req.Content == nil {
		return 0, "", false
	}
	return *req.ContentType, *req.Content, true
}

// isCallbackPath tells whether path is one of the seeds' callback prefixes
// (every other path the fuzzer makes may be a REST or operations route).
func isCallbackPath(path string) bool {
	return strings.HasPrefix(path, "/callbackExample/") || strings.HasPrefix(path, "/cb/")
}

// contentOf returns the content string of a message callback body, or "".
func contentOf(body []byte) string {
	var req struct {
		Content string `json:"content"`
	}
	json.Unmarshal(body, &req)
	return req.Content
}
