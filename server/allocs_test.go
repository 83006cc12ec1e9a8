//go:build !race

package server_test

import (
	"strings"
	"testing"

	"github.com/bytedance/sonic"

	"github.com/wordfilter/wordfilter/filter"
)

// TestCleanModifyAllocations guards the hot path: a clean message through
// the modify callback allocates nothing beyond what sonic's decoder and the
// matcher allocate themselves.
func TestCleanModifyAllocations(t *testing.T) {
	srv := benchServer(t)
	const text = "see you at the station at eight, bring the tickets please"
	body := msgBody(t, cmdModify, 101, `{"content":"`+text+`"}`)
	ctx := newCtx("POST", "/callbackExample/"+cmdModify, body)
	handler := testing.AllocsPerRun(200, func() {
		ctx.Response.Reset()
		srv.Handler(ctx)
	})
	if !strings.HasSuffix(string(ctx.Response.Body()), `"nextCode":0}`) {
		t.Fatalf("unexpected answer %s", ctx.Response.Body())
	}

	dec := sonic.Config{CaseSensitive: true}.Froze()
	req := new(commonCallbackReq)
	bodyStr := string(body)
	decode := testing.AllocsPerRun(200, func() {
		*req = commonCallbackReq{}
		if err := dec.UnmarshalFromString(bodyStr, req); err != nil {
			t.Fatal(err)
		}
	})
	d := newDict(t, "v1", testWords)
	dst := make([]filter.Match, 0, 8)
	match := testing.AllocsPerRun(200, func() { // the text and the sender's nickname
		d.Matcher.Filter(dst[:0], text)
		d.Matcher.Filter(dst[:0], "Ann")
	})
	if handler > decode+match {
		t.Errorf("clean modify callback: %.0f allocations per request, want at most %.0f (sonic decode) + %.0f (matcher)",
			handler, decode, match)
	}
}
