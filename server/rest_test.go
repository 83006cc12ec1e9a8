package server_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/wordfilter/wordfilter/dict"
	"github.com/wordfilter/wordfilter/internal/report"
	"github.com/wordfilter/wordfilter/server"
)

var (
	loopback = &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}
	remote   = &net.TCPAddr{IP: net.IPv4(10, 1, 2, 3), Port: 40000}
)

func TestFilterSingleAndBatch(t *testing.T) {
	ts := newTestServer(t, server.Config{})
	r := ts.do("POST", "/v1/filter", []byte(`{"text":"oh fuck"}`))
	if r.status != 200 || r.contentType != "application/json" {
		t.Fatalf("POST /v1/filter = %d %q %s", r.status, r.contentType, r.body)
	}
	var one report.Report
	if err := json.Unmarshal(r.body, &one); err != nil {
		t.Fatal(err)
	}
	want := report.Report{Decision: "mask", Text: "oh ****", Version: "v1",
		Matches: []report.Match{{Word: "fuck", Category: "profanity", Action: "mask", Start: 3, End: 7}}}
	if !equalJSON(t, one, want) {
		t.Errorf("POST /v1/filter = %s, want %+v", r.body, want)
	}

	r = ts.do("POST", "/v1/filter", []byte(`{"texts":["hi","法轮功","casino"]}`))
	var batch struct {
		Results []report.Report `json:"results"`
		Version string          `json:"version"`
	}
	if err := json.Unmarshal(r.body, &batch); err != nil || r.status != 200 {
		t.Fatalf("batch: %d %s %v", r.status, r.body, err)
	}
	var decisions []string
	for _, res := range batch.Results {
		decisions = append(decisions, res.Decision)
	}
	if got := strings.Join(decisions, ","); got != "pass,block,review" || batch.Version != "v1" {
		t.Errorf("batch decisions %s version %q, want pass,block,review v1", got, batch.Version)
	}
	if !strings.Contains(string(r.body), `"matches":[]`) {
		t.Errorf("a clean result should have \"matches\":[] (not null): %s", r.body)
	}
}

func TestRESTBadRequests(t *testing.T) {
	ts := newTestServer(t, server.Config{MaxBodySize: 1000})
	for _, tc := range []struct {
		method, path, body string
		status             int
	}{
		{"POST", "/v1/filter", `not json`, 400},
		{"POST", "/v1/filter", `{}`, 400},
		{"POST", "/v1/filter", `{"text":5}`, 400},
		{"POST", "/v1/filter", `{"text":"` + strings.Repeat("a", 2000) + `"}`, 413},
		{"GET", "/v1/filter", ``, 405},
		{"POST", "/v1/dict", ``, 405},
		{"GET", "/v1/dict/reload", ``, 405},
		{"POST", "/healthz", ``, 405},
		{"POST", "/metrics", ``, 405},
	} {
		r := ts.doRaw(tc.method, tc.path, []byte(tc.body))
		var e struct {
			Error string `json:"error"`
		}
		if r.status != tc.status || json.Unmarshal(r.body, &e) != nil || e.Error == "" || r.contentType != "application/json" {
			t.Errorf("%s %s %.20q = %d %q %s, want %d with {\"error\":...}", tc.method, tc.path, tc.body,
				r.status, r.contentType, r.body, tc.status)
		}
	}
}

func TestDictInfoAndReload(t *testing.T) {
	ts := newTestServer(t, server.Config{})
	r := ts.do("GET", "/v1/dict", nil)
	want := `{"version":"v1","words":3,"allow":0,"categories":{"gambling":1,"politics":1,"profanity":1},"loadedAt":"2026-01-02T03:04:05Z","source":"test","lastError":"",` +
		`"settings":{"readings":"none","variantAction":"same","pinyinAction":"review","variants":0,"categories":{}}}`
	if r.status != 200 || !sameJSON(t, r.body, want) {
		t.Errorf("GET /v1/dict = %d %s\nwant %s", r.status, r.body, want)
	}
	if r := ts.doFrom(loopback, "POST", "/v1/dict/reload", nil); r.status != 200 || !sameJSON(t, r.body, want) {
		t.Errorf("reload from loopback = %d %s", r.status, r.body)
	}
	if r := ts.doFrom(remote, "POST", "/v1/dict/reload", nil); r.status != 403 {
		t.Errorf("reload from %v without a token = %d %s, want 403", remote, r.status, r.body)
	}
	if n := ts.src.reloads.Load(); n != 1 {
		t.Errorf("%d reloads, want 1 (the refused one must not reload)", n)
	}

	ts.src.reloadErr = errTest
	r = ts.doFrom(loopback, "POST", "/v1/dict/reload", nil)
	if r.status != 422 || !sameJSON(t, r.body, `{"errors":["test error"]}`) {
		t.Errorf("failed reload = %d %s, want 422 {\"errors\":[\"test error\"]}", r.status, r.body)
	}
}

func TestReloadTokenIsRequiredWhenSet(t *testing.T) {
	ts := newTestServer(t, server.Config{AdminToken: "s3cret"})
	for _, tc := range []struct {
		from   net.Addr
		auth   string
		status int
	}{
		{loopback, "", 401},
		{loopback, "Bearer wrong", 401},
		{loopback, "s3cret", 401},
		{remote, "Bearer s3cret", 200},
		{loopback, "Bearer s3cret", 200},
		// The scheme is case-insensitive (RFC 7235), spaces may follow it.
		{remote, "bearer s3cret", 200},
		{remote, "BEARER s3cret", 200},
		{remote, "bEaReR s3cret", 200},
		{remote, "Bearer  s3cret", 200},
		{remote, "bearer wrong", 401},
		{remote, "Bearer s3cre", 401},
		{remote, "Bearer s3cretx", 401},
		{remote, "Bearer", 401},
		{remote, "Bearer ", 401},
		{remote, "Bearers3cret", 401},
		{remote, "Basic czNjcmV0", 401},
		{remote, "Basic s3cret", 401},
		{remote, "", 401},
	} {
		var hdr []string
		if tc.auth != "" {
			hdr = []string{"Authorization", tc.auth}
		}
		if r := ts.doFrom(tc.from, "POST", "/v1/dict/reload", nil, hdr...); r.status != tc.status {
			t.Errorf("reload from %v with %q = %d %s, want %d", tc.from, tc.auth, r.status, r.body, tc.status)
		}
	}
}

func TestReadinessFollowsDictionaryAndDraining(t *testing.T) {
	ts := newTestServer(t, server.Config{})
	loaded := ts.src.cur.Swap(nil)
	if r := ts.do("GET", "/readyz", nil); r.status != 503 {
		t.Errorf("/readyz before the first dictionary = %d, want 503", r.status)
	}
	if r := ts.do("GET", "/healthz", nil); r.status != 200 || string(r.body) != `{"status":"ok"}` {
		t.Errorf("/healthz = %d %s, want 200", r.status, r.body)
	}
	r := ts.do("POST", "/callbackExample/"+cmdModify, msgBody(t, cmdModify, 101, `{"content":"hi"}`))
	wantUnavailable(t, "callback before the first dictionary", r.status, r.body, 200, server.DefaultUnavailableCode, false)
	if r := ts.do("GET", "/v1/dict", nil); r.status != 503 {
		t.Errorf("/v1/dict before the first dictionary = %d, want 503", r.status)
	}
	ts.src.cur.Store(loaded)
	if r := ts.do("GET", "/readyz", nil); r.status != 200 {
		t.Errorf("/readyz with a dictionary = %d, want 200", r.status)
	}
	ts.srv.SetDraining()
	if r := ts.do("GET", "/readyz", nil); r.status != 503 {
		t.Errorf("/readyz while draining = %d, want 503", r.status)
	}
	if r := ts.do("GET", "/healthz", nil); r.status != 200 {
		t.Errorf("/healthz while draining = %d, want 200", r.status)
	}
}

func TestMetrics(t *testing.T) {
	ts := newTestServer(t, server.Config{})
	ts.callback("/callbackExample/"+cmdModify, msgBody(t, cmdModify, 101, `{"content":"fuck"}`))
	ts.callback("/callbackExample/"+cmdGroup, msgBody(t, cmdGroup, 101, `{"content":"法轮功"}`))
	ts.callback("/callbackExample/somethingNew", []byte(`{}`))
	ts.do("POST", "/callbackExample/"+cmdModify, []byte(`nope`))
	ts.do("POST", "/v1/filter", []byte(`{"text":"casino"}`))
	ts.srv.ObserveReload(dict.ReloadEvent{Trigger: "api", Dict: ts.src.Current(), Changed: true, Duration: time.Second, Paused: 600 * time.Millisecond})
	ts.srv.ObserveReload(dict.ReloadEvent{Trigger: "watch", Dict: ts.src.Current(), Err: errTest})
	ts.srv.ObserveReload(dict.ReloadEvent{Trigger: "poll", Dict: ts.src.Current()}) // error cleared, content unchanged
	ts.srv.ObserveReload(dict.ReloadEvent{Trigger: "poll", Dict: ts.src.Current()}) // unchanged: not a reload
	r := ts.do("GET", "/metrics", nil)
	if r.status != 200 || !strings.HasPrefix(r.contentType, "text/plain") {
		t.Fatalf("/metrics = %d %q", r.status, r.contentType)
	}
	for _, line := range []string{
		`wordfilter_requests_total{command="callbackBeforeMsgModifyCommand",decision="mask"} 1`,
		`wordfilter_requests_total{command="callbackBeforeMsgModifyCommand",decision="error"} 1`,
		`wordfilter_requests_total{command="callbackBeforeSendGroupMsgCommand",decision="block"} 1`,
		`wordfilter_requests_total{command="other",decision="pass"} 1`,
		`wordfilter_requests_total{command="filter",decision="review"} 1`,
		`wordfilter_matches_total{category="profanity",via="none"} 1`,
		`wordfilter_matches_total{category="politics",via="none"} 1`,
		`wordfilter_matches_total{category="gambling",via="none"} 1`,
		`wordfilter_request_duration_seconds_count{command="callbackBeforeMsgModifyCommand"} 2`,
		`wordfilter_dictionary_info{version="v1"} 1`,
		`wordfilter_dictionary_words 3`,
		`wordfilter_dictionary_reloads_total 1`,
		`wordfilter_dictionary_reload_errors_total 1`,
	} {
		if !strings.Contains(string(r.body), "\n"+line+"\n") {
			t.Errorf("/metrics lacks %q", line)
		}
	}
	if n := ts.logs.FilterMessage("dictionary unchanged").Len(); n != 1 || ts.logs.FilterMessage("dictionary unchanged").All()[0].Level != zap.DebugLevel {
		t.Errorf("an unchanged poll should log one debug line, got %d", n)
	}
	if n := ts.logs.FilterMessage("dictionary folder readable again; the dictionary in use is unchanged").Len(); n != 1 {
		t.Errorf("%d log lines for the reload that cleared the error, want 1", n)
	}
	if ls := ts.logs.FilterMessage("dictionary loaded").All(); len(ls) == 1 && ls[0].ContextMap()["paused"] != 600*time.Millisecond {
		t.Errorf("the reload's log line has paused = %v, want 600ms: %v", ls[0].ContextMap()["paused"], ls[0].ContextMap())
	}
	if n := ts.logs.FilterMessage("dictionary loaded").Len(); n != 1 {
		t.Errorf("%d 'dictionary loaded' log lines, want 1", n)
	}
	if n := ts.logs.FilterMessage("dictionary reload refused; keeping the dictionary in use").Len(); n != 1 {
		t.Errorf("%d reload-refused log lines, want 1", n)
	}

	ts.src.cur.Store(newDict(t, "v2", testWords[:1]))
	body := string(ts.do("GET", "/metrics", nil).body)
	if !strings.Contains(body, `wordfilter_dictionary_info{version="v2"} 1`) || strings.Contains(body, `version="v1"`) {
		t.Errorf("after a swap /metrics should show only version v2")
	}
}

func TestPanicIsRecoveredAsJSON(t *testing.T) {
	src := &fakeSource{}
	src.cur.Store(newDict(t, "v1", testWords))
	srv, err := server.New(server.Config{}, src, nil)
	if err != nil {
		t.Fatal(err)
	}
	src.panicNow.Store(true)
	ctx := newCtx("POST", "/v1/filter", []byte(`{"text":"hi"}`))
	srv.Handler(ctx)
	if ctx.Response.StatusCode() != 500 || !json.Valid(ctx.Response.Body()) {
		t.Errorf("panic on /v1/filter answered %d %s, want 500 JSON", ctx.Response.StatusCode(), ctx.Response.Body())
	}
	ctx = newCtx("POST", "/callbackExample/"+cmdModify, msgBody(t, cmdModify, 101, `{"content":"hi"}`))
	srv.Handler(ctx)
	wantUnavailable(t, "panic on a callback", ctx.Response.StatusCode(), ctx.Response.Body(), 200, server.DefaultUnavailableCode, false)
	src.panicNow.Store(false)
	ctx = newCtx("POST", "/callbackExample/"+cmdModify, msgBody(t, cmdModify, 101, `{"content":"fuck"}`))
	srv.Handler(ctx)
	if !strings.Contains(string(ctx.Response.Body()), `****`) {
		t.Errorf("the request after a panic was not served normally: %s", ctx.Response.Body())
	}
}

func TestConcurrentRequestsDuringReloads(t *testing.T) {
	ts := newTestServer(t, server.Config{})
	v2 := newDict(t, "v2", wordList{{"fuck", "profanity"}, {"shit", "profanity"}}.words())
	v1 := ts.src.Current()
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if i%2 == 0 {
				ts.src.cur.Store(v2)
			} else {
				ts.src.cur.Store(v1)
			}
			ts.srv.ObserveReload(dict.ReloadEvent{Trigger: "poll", Dict: ts.src.Current()})
		}
	}()
	var clients sync.WaitGroup
	for g := 0; g < 8; g++ {
		clients.Add(1)
		go func() {
			defer clients.Done()
			body := msgBody(t, cmdModify, 101, `{"content":"fuck and shit"}`)
			for i := 0; i < 50; i++ {
				resp, _ := ts.callback("/callbackExample/"+cmdModify, body)
				got := ptrStr(resp.Content)
				if got != `{"content":"**** and shit"}` && got != `{"content":"**** and ****"}` {
					t.Errorf("content during reloads = %s", got)
					return
				}
				ts.do("GET", "/metrics", nil)
			}
		}()
	}
	clients.Wait()
	close(stop)
	wg.Wait()
}

func TestCallbackPrefixIsEnforced(t *testing.T) {
	ts := newTestServer(t, server.Config{CallbackPrefix: "/s3cret/"})
	body := msgBody(t, cmdModify, 101, `{"content":"fuck"}`)
	if resp, _ := ts.callback("/s3cret/"+cmdModify, body); resp.Content == nil {
		t.Errorf("callback under the prefix was not masked")
	}
	if resp, _ := ts.callback("/s3cret/callbackExample/"+cmdModify, body); resp.Content == nil {
		t.Errorf("callback deeper under the prefix was not masked")
	}
	for _, path := range []string{"/callbackExample/" + cmdModify, "/s3cretx/" + cmdModify, "/" + cmdModify, "/s3cret", "/x/s3cret/" + cmdModify} {
		r := ts.do("POST", path, body)
		if r.contentType != "application/json" {
			t.Errorf("POST %s with a callback prefix: Content-Type %q", path, r.contentType)
		}
		wantUnavailable(t, "POST "+path+" outside the callback prefix", r.status, r.body, 200, server.DefaultUnavailableCode, false)
	}
	if r := ts.do("GET", "/healthz", nil); r.status != 200 {
		t.Errorf("/healthz with a callback prefix = %d", r.status)
	}
}

func TestCallbackPathsAndBadBodies(t *testing.T) {
	ts := newTestServer(t, server.Config{MaxBodySize: 4096})
	body := msgBody(t, cmdModify, 101, `{"content":"fuck"}`)
	for _, path := range []string{
		"/callbackExample//" + cmdModify,
		"/callbackExample/" + cmdModify + "?key=eyJ9",
		"/" + cmdModify,
		"/a/b/c/" + cmdModify,
	} {
		if resp, _ := ts.callback(path, body); resp.Content == nil {
			t.Errorf("POST %s was not routed to the modify callback", path)
		}
	}
	for _, path := range []string{"/callbackExample/", "/callbackExample//", "/"} {
		if resp, keys := ts.callback(path, body); resp.refused(t) || keys["content"] != nil {
			t.Errorf("POST %s (no command) = %+v, want a plain allow", path, resp)
		}
	}
	for _, tc := range []struct {
		body   string
		status int
	}{
		{`not json`, 400},
		{``, 400},
		{`{"contentType":"101","content":"fuck"}`, 400},
		{`{"contentType":101,"content":{"content":"fuck"}}`, 400},
		{strings.Repeat("[", 2000) + strings.Repeat("]", 2000), 400},
		{`{"content":"` + strings.Repeat("x", 5000) + `"}`, 413},
		// Not JSON in places a struct decoder could skip over.
		{`{"contentType":101,"content":"{\"content\":\"fuck\"}"} trailing`, 400},
		{`{"contentType":101,"content":"x"}{}`, 400},
		{`{"contentType":101,"unknown":[1,2,}`, 400},
		{`{"contentType":101,"unknown":{"a":tru},"content":"x"}`, 400},
		{`{"contentType":101,"content":"x"`, 400},
		{`{"contentType":101,,"content":"x"}`, 400},
		{`{"contentType":101 "content":"x"}`, 400},
		{`{"contentType":01,"content":"x"}`, 400},
		{`{"contentType":101,"content":"x",}`, 400},
	} {
		for _, cmd := range []string{cmdModify, cmdSingle, cmdGroup, "callbackBeforeSetGroupInfoExCommand"} {
			if cmd == "callbackBeforeSetGroupInfoExCommand" && json.Valid([]byte(tc.body)) {
				continue // wrong types for a message are no error for this command
			}
			r := ts.doRaw("POST", "/callbackExample/"+cmd, []byte(tc.body))
			if tc.status == 413 || json.Valid([]byte(tc.body)) {
				// Unjudged (too large, or JSON of the wrong shape): refused,
				// so that OpenIM does not let it through.
				wantUnavailable(t, fmt.Sprintf("%s body %.40q", cmd, tc.body), r.status, r.body, tc.status, server.DefaultUnavailableCode, false)
				continue
			}
			var e openIMResp
			if r.status != tc.status || json.Unmarshal(r.body, &e) != nil || e.ActionCode != 1 || e.ErrCode != int32(tc.status) || e.ErrMsg == "" {
				t.Errorf("%s body %.40q = %d %s, want %d with the callback error JSON", cmd, tc.body, r.status, r.body, tc.status)
			}
		}
	}
	if r := ts.do("GET", "/callbackExample/"+cmdModify, nil); r.status != 405 || !json.Valid(r.body) {
		t.Errorf("GET on a callback = %d %s, want 405 JSON", r.status, r.body)
	}
	if resp, _ := ts.callback("/callbackExample/"+cmdModify, body); resp.Content == nil {
		t.Errorf("a good request after bad ones was not served normally")
	}
}

func TestInvalidConfigIsRefused(t *testing.T) {
	for _, cfg := range []server.Config{
		{BlockCode: 99},
		{BlockCode: -1},
		{MaxBodySize: -1},
		{CallbackPrefix: "/"},
		{CallbackPrefix: "/a?b"},
	} {
		if _, err := server.New(cfg, &fakeSource{}, nil); err == nil {
			t.Errorf("server.New(%+v) accepted an invalid config", cfg)
		}
	}
	if _, err := server.New(server.Config{}, nil, nil); err == nil {
		t.Errorf("server.New with a nil source succeeded")
	}
}

func TestValidateNamesTheField(t *testing.T) {
	for _, tc := range []struct {
		cfg   server.Config
		field string
	}{
		{server.Config{BlockCode: 99}, "BlockCode"},
		{server.Config{BlockCode: 1 << 31}, "BlockCode"},
		{server.Config{UnavailableCode: -5}, "UnavailableCode"},
		{server.Config{MaxBodySize: -1}, "MaxBodySize"},
		{server.Config{IdleTimeout: -time.Second}, "IdleTimeout"},
		{server.Config{MaxConnsPerIP: -1}, "MaxConnsPerIP"},
		{server.Config{CallbackPrefix: "/"}, "CallbackPrefix"},
		{server.Config{CallbackPrefix: "/a b"}, "CallbackPrefix"},
	} {
		err := tc.cfg.Validate()
		var ce *server.ConfigError
		if !errors.As(err, &ce) || ce.Field != tc.field {
			t.Errorf("Validate(%+v) = %v, want a ConfigError naming %s", tc.cfg, err, tc.field)
		}
	}
	for _, cfg := range []server.Config{{}, {BlockCode: 100, UnavailableCode: 1<<31 - 1, CallbackPrefix: "s"}} {
		if err := cfg.Validate(); err != nil {
			t.Errorf("Validate(%+v) = %v, want nil", cfg, err)
		}
	}
}
