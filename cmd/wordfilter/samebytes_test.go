package main

import (
	"net"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"
	"go.uber.org/zap"

	"github.com/wordfilter/wordfilter/dict"
	"github.com/wordfilter/wordfilter/server"
)

// TestCheckJSONWritesTheBytesOfV1Filter checks that "wordfilter check
// -json" prints, for each text, exactly the body that POST /v1/filter
// answers for it with the same dictionary, followed by a line end.
func TestCheckJSONWritesTheBytesOfV1Filter(t *testing.T) {
	dir := writeDictFolder(t, testDict)
	store := dict.NewStore(dict.Config{Dir: dir})
	if _, err := store.Reload(); err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Config{}, store, zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	// The texts are written into the request body as they are, so none
	// holds a quote, a backslash or a line end.
	for _, text := range []string{
		"what the fuck",           // masked
		"法轮功 is here",             // blocked
		"free money, a review",    // review
		"hello there",             // clean
		"bad \xff\xfe utf-8 fuck", // invalid UTF-8
		"<b>fuck</b> & <i>x</i>",  // HTML characters
		"line\u2028sep",           // a JavaScript line terminator
		"oh sh1t, shiiit",         // variant readings: via
	} {
		var ctx fasthttp.RequestCtx
		var req fasthttp.Request
		req.Header.SetMethod("POST")
		req.SetRequestURI("/v1/filter")
		req.SetBodyString(`{"text":"` + text + `"}`)
		ctx.Init(&req, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}, nil)
		srv.Handler(&ctx)
		if ctx.Response.StatusCode() != 200 {
			t.Fatalf("POST /v1/filter %q = %d %s", text, ctx.Response.StatusCode(), ctx.Response.Body())
		}
		api := string(ctx.Response.Body())

		code, out, errOut := runCmd(t, text+"\n", "check", "-json", "-dict", dir)
		if code != 0 || errOut != "" {
			t.Fatalf("check -json %q = %d, stderr %q", text, code, errOut)
		}
		if out != api+"\n" {
			t.Errorf("for %q check -json printed\n%q\nbut /v1/filter answered\n%q", text, out, api)
		}
		if strings.Contains(text, "<") && !strings.Contains(api, "<b>") {
			t.Errorf("/v1/filter %q escapes HTML: %s", text, api)
		}
	}
}
