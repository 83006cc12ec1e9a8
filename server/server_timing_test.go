package server_test

import (
	"strings"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/wordfilter/wordfilter/server"
)

// benchServer returns a Server with the test dictionary, for calling
// Handler directly (no network, no HTTP parsing).
func benchServer(b testing.TB) *server.Server {
	src := &fakeSource{}
	src.cur.Store(newDict(b, "v1", testWords))
	srv, err := server.New(server.Config{}, src, nil)
	if err != nil {
		b.Fatal(err)
	}
	return srv
}

// modifyCases are a clean and a masked chat message for the modify
// callback, and what the answer must contain.
var modifyCases = []struct {
	name, element, want string
}{
	{"clean", `{"content":"see you at the station at eight, bring the tickets please"}`, `"nextCode":0}`},
	{"masked", `{"content":"see you at the station, fuck, at eight, bring the tickets"}`, `station, ****, at`},
}

func BenchmarkModifyCallback(b *testing.B) {
	srv := benchServer(b)
	for _, tc := range modifyCases {
		body := msgBody(b, cmdModify, 101, tc.element)
		b.Run(tc.name, func(b *testing.B) {
			ctx := newCtx("POST", "/callbackExample/"+cmdModify, body)
			srv.Handler(ctx)
			if got := string(ctx.Response.Body()); !strings.Contains(got, tc.want) {
				b.Fatalf("answer %s lacks %s", got, tc.want)
			}
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				ctx.Response.Reset()
				srv.Handler(ctx)
			}
		})
		b.Run(tc.name+"/parallel", func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				ctx := newCtx("POST", "/callbackExample/"+cmdModify, body)
				for pb.Next() {
					ctx.Response.Reset()
					srv.Handler(ctx)
				}
			})
		})
	}
}

// BenchmarkModifyCallbackHTTP measures a full round trip over an
// in-memory connection (HTTP parsing and writing included).
func BenchmarkModifyCallbackHTTP(b *testing.B) {
	ts := newTestServer(b, server.Config{})
	body := msgBody(b, cmdModify, 101, modifyCases[0].element)
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	req.SetRequestURI("http://wordfilter/callbackExample/" + cmdModify)
	req.Header.SetMethod("POST")
	req.SetBody(body)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if err := ts.cli.Do(req, resp); err != nil || resp.StatusCode() != 200 {
			b.Fatalf("Do: %v %d", err, resp.StatusCode())
		}
	}
}
