package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttputil"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/wordfilter/wordfilter/dict"
	"github.com/wordfilter/wordfilter/filter"
	"github.com/wordfilter/wordfilter/server"
)

// testWords is the dictionary of most tests. Its expectations hold both
// under the temporary substring matcher and under docs/matching.md.
var testWords = []filter.Word{
	{Text: "fuck", Category: "profanity", Action: filter.Mask},
	{Text: "法轮功", Category: "politics", Action: filter.Block},
	{Text: "casino", Category: "gambling", Action: filter.Review},
}

// newDict compiles words into a Dictionary with the given version.
func newDict(t testing.TB, version string, words []filter.Word) *dict.Dictionary {
	t.Helper()
	m, err := filter.Compile(words, filter.Options{})
	if err != nil {
		t.Fatalf("filter.Compile: %v", err)
	}
	cats := map[string]int{}
	for _, w := range words {
		cats[w.Category]++
	}
	return &dict.Dictionary{Matcher: m, Version: version, Categories: cats,
		LoadedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Source: "test"}
}

// fakeSource is a server.Source whose dictionary the test sets.
type fakeSource struct {
	cur       atomic.Pointer[dict.Dictionary]
	reloadErr error
	reloads   atomic.Int64
	panicNow  atomic.Bool
}

func (f *fakeSource) Current() *dict.Dictionary {
	if f.panicNow.Load() {
		panic("fakeSource: asked to panic")
	}
	return f.cur.Load()
}

func (f *fakeSource) Reload() (*dict.Dictionary, error) {
	f.reloads.Add(1)
	if f.reloadErr != nil {
		return f.cur.Load(), f.reloadErr
	}
	return f.cur.Load(), nil
}

func (f *fakeSource) LastError() string {
	if f.reloadErr != nil {
		return f.reloadErr.Error()
	}
	return ""
}

// testServer is a Server on an in-memory listener.
type testServer struct {
	t    testing.TB
	srv  *server.Server
	src  *fakeSource
	ln   *fasthttputil.InmemoryListener
	logs *observer.ObservedLogs
	cli  *fasthttp.Client
	// maxBody is the server's body size limit.
	maxBody int
	// addr is the TCP address of a server on a real port ("" in memory).
	addr string
}

// newTestServer starts a server with the test dictionary loaded (unless
// cfg says otherwise via the returned source) and stops it at cleanup.
func newTestServer(t testing.TB, cfg server.Config) *testServer {
	t.Helper()
	src := &fakeSource{}
	src.cur.Store(newDict(t, "v1", testWords))
	core, logs := observer.New(zap.DebugLevel)
	srv, err := server.New(cfg, src, zap.New(core))
	if err != nil {
		t.Fatalf("server.New: %v", err)
	}
	ln := fasthttputil.NewInmemoryListener()
	ts := &testServer{t: t, srv: srv, src: src, ln: ln, logs: logs, maxBody: cfg.MaxBodySize}
	ts.cli = &fasthttp.Client{Dial: func(string) (net.Conn, error) { return ln.Dial() }}
	ts.serve(ln)
	return ts
}

// newTCPTestServer is newTestServer on a real TCP port of 127.0.0.1, for
// the tests of what OpenIM sees over a real connection.
func newTCPTestServer(t testing.TB, cfg server.Config) *testServer {
	t.Helper()
	src := &fakeSource{}
	src.cur.Store(newDict(t, "v1", testWords))
	core, logs := observer.New(zap.DebugLevel)
	srv, err := server.New(cfg, src, zap.New(core))
	if err != nil {
		t.Fatalf("server.New: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{t: t, srv: srv, src: src, logs: logs, maxBody: cfg.MaxBodySize, addr: ln.Addr().String()}
	ts.cli = &fasthttp.Client{}
	ts.serve(ln)
	return ts
}

// serve serves ts.srv on ln until the test's cleanup.
func (ts *testServer) serve(ln net.Listener) {
	t, srv, logs := ts.t, ts.srv, ts.logs
	if ts.maxBody == 0 {
		ts.maxBody = server.DefaultMaxBodySize
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
		for _, e := range logs.FilterMessage("panic while answering a request").All() {
			t.Errorf("a handler panicked: %v", e.ContextMap())
		}
	})
}

// response is an HTTP answer of the test server.
type response struct {
	status      int
	contentType string
	body        []byte
}

// do sends one request and returns the answer.
func (ts *testServer) do(method, path string, body []byte, header ...string) response {
	ts.t.Helper()
	return ts.doFrom(nil, method, path, body, header...)
}

// doFrom is do with the client's address (nil: the listener's default).
func (ts *testServer) doFrom(from net.Addr, method, path string, body []byte, header ...string) response {
	ts.t.Helper()
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.Header.DisableNormalizing()
	req.URI().DisablePathNormalizing = true
	host := "wordfilter"
	if ts.addr != "" {
		host = ts.addr
	}
	req.SetRequestURI("http://" + host + path)
	req.Header.SetMethod(method)
	req.Header.SetContentType("application/json; charset=utf-8")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if body != nil {
		req.SetBody(body)
	}
	cli := ts.cli
	if from != nil {
		cli = &fasthttp.Client{Dial: func(string) (net.Conn, error) { return ts.ln.DialWithLocalAddr(from) }}
	}
	if err := cli.DoTimeout(req, resp, 10*time.Second); err != nil {
		ts.t.Fatalf("%s %s: %v", method, path, err)
	}
	return response{status: resp.StatusCode(), contentType: string(resp.Header.ContentType()),
		body: append([]byte(nil), resp.Body()...)}
}

// openIMResp is OpenIM's view of a callback answer: CommonCallbackResp plus
// the pointer fields of the modify and profile answers, decoded the way
// OpenIM decodes it (encoding/json).
type openIMResp struct {
	ActionCode     int32   `json:"actionCode"`
	ErrCode        int32   `json:"errCode"`
	ErrMsg         string  `json:"errMsg"`
	ErrDlt         string  `json:"errDlt"`
	NextCode       int32   `json:"nextCode"`
	Content        *string `json:"content"`
	SenderNickname *string `json:"senderNickname"`
}

// refused reports whether OpenIM v3.7+ (actionCode 0 and nextCode 1) and
// v3.5 (actionCode != 0 or nextCode 1) abort the operation; it fails the
// test when the two versions disagree.
func (r openIMResp) refused(t testing.TB) bool {
	t.Helper()
	v37 := r.ActionCode == 0 && r.NextCode == 1
	v35 := r.ActionCode != 0 || r.NextCode == 1
	if v37 != v35 {
		t.Errorf("answer %+v is read differently by OpenIM 3.5 and 3.7+", r)
	}
	return v37
}

// callback posts body to a callback path and decodes the answer as OpenIM
// does; it fails the test unless the answer is HTTP 200 JSON.
func (ts *testServer) callback(path string, body []byte) (openIMResp, map[string]json.RawMessage) {
	ts.t.Helper()
	r := ts.do("POST", path, body, "operationID", "op-test")
	if r.status != 200 || r.contentType != "application/json" {
		ts.t.Fatalf("POST %s = %d %q %s, want 200 application/json", path, r.status, r.contentType, r.body)
	}
	var resp openIMResp
	if err := json.Unmarshal(r.body, &resp); err != nil {
		ts.t.Fatalf("POST %s: OpenIM cannot decode the answer %s: %v", path, r.body, err)
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(r.body, &keys); err != nil {
		ts.t.Fatal(err)
	}
	return resp, keys
}

// mustJSON encodes v the way OpenIM's HTTP client does (encoding/json
// Encoder: HTML-escaped, trailing newline).
func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := json.NewEncoder(&b).Encode(v); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var errTest = errors.New("test error")

// filter2Word is a mask word and its category, for short word lists.
type filter2Word struct{ text, category string }

type wordList []filter2Word

func (l wordList) words() []filter.Word {
	out := make([]filter.Word, len(l))
	for i, w := range l {
		out[i] = filter.Word{Text: w.text, Category: w.category, Action: filter.Mask}
	}
	return out
}

// newCtx builds a request context to call Handler directly.
func newCtx(method, path string, body []byte) *fasthttp.RequestCtx {
	var ctx fasthttp.RequestCtx
	ctx.Request.Header.SetMethod(method)
	ctx.Request.SetRequestURI(path)
	ctx.Request.SetBody(body)
	return &ctx
}

// equalJSON compares two values by their JSON encoding.
func equalJSON(t testing.TB, a, b any) bool {
	t.Helper()
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

// sameJSON reports whether got and want hold the same JSON value.
func sameJSON(t testing.TB, got []byte, want string) bool {
	t.Helper()
	var a, b any
	if err := json.Unmarshal(got, &a); err != nil {
		return false
	}
	if err := json.Unmarshal([]byte(want), &b); err != nil {
		t.Fatalf("bad want JSON %s: %v", want, err)
	}
	return reflect.DeepEqual(a, b)
}

// doRaw sends one request on a fresh connection and reads the answer. A
// body over the server's limit is not sent at all: the server answers 413
// from the Content-Length alone, and closes the connection, which would
// race with writing the body.
func (ts *testServer) doRaw(method, path string, body []byte) response {
	ts.t.Helper()
	conn, err := ts.ln.Dial()
	if err != nil {
		ts.t.Fatal(err)
	}
	defer conn.Close()
	var req bytes.Buffer
	fmt.Fprintf(&req, "%s %s HTTP/1.1\r\nHost: wordfilter\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n",
		method, path, len(body))
	if len(body) <= ts.maxBody {
		req.Write(body)
	}
	if _, err := conn.Write(req.Bytes()); err != nil {
		ts.t.Fatal(err)
	}
	var resp fasthttp.Response
	if err := resp.Read(bufio.NewReader(conn)); err != nil {
		ts.t.Fatalf("%s %s: %v", method, path, err)
	}
	return response{status: resp.StatusCode(), contentType: string(resp.Header.ContentType()),
		body: append([]byte(nil), resp.Body()...)}
}

// openIMVerdict reads an answer the way OpenIM v3.7+ does (docs/openim.md,
// "How OpenIM reads the answer"):
// Go's encoding/json into its response struct, then "refused" only when
// actionCode is 0 and nextCode is 1. ok is false when the body is not JSON
// OpenIM could read (then OpenIM fails the message too).
func openIMVerdict(body []byte) (refused bool, errCode int32, errMsg string, ok bool) {
	var r struct {
		ActionCode int32  `json:"actionCode"`
		ErrCode    int32  `json:"errCode"`
		ErrMsg     string `json:"errMsg"`
		NextCode   int32  `json:"nextCode"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return false, 0, "", false
	}
	return r.ActionCode == 0 && r.NextCode == 1, r.ErrCode, r.ErrMsg, true
}

// wantUnavailable checks that an answer is the refusal of a callback the
// service could not judge, with errCode code (or, failOpen, an allow).
func wantUnavailable(t testing.TB, what string, status int, body []byte, wantStatus int, code int32, failOpen bool) {
	t.Helper()
	refused, got, msg, ok := openIMVerdict(body)
	switch {
	case !ok:
		t.Errorf("%s = %d %s: not JSON OpenIM can read", what, status, body)
	case status != wantStatus:
		t.Errorf("%s = HTTP %d %s, want %d", what, status, body, wantStatus)
	case failOpen && refused:
		t.Errorf("%s = %s: refused under fail-open", what, body)
	case !failOpen && (!refused || got != code):
		t.Errorf("%s = %s: OpenIM does not read it as a refusal with errCode %d", what, body, code)
	case !strings.HasPrefix(msg, "word filter unavailable: "):
		t.Errorf("%s = %s: errMsg does not say the filter is unavailable", what, body)
	}
}
