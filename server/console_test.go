package server_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/wordfilter/wordfilter/dict"
	"github.com/wordfilter/wordfilter/server"
)

// TestConsoleFilesOnLoopback fetches the console's files over a real
// connection to 127.0.0.1, where no token is needed.
func TestConsoleFilesOnLoopback(t *testing.T) {
	ts := newTCPTestServer(t, server.Config{AdminToken: "s3cret"})
	for _, tc := range []struct{ path, ctype, has string }{
		{"/ui/", "text/html; charset=utf-8", `<script src="app.js" defer></script>`},
		{"/ui/index.html", "text/html; charset=utf-8", "<title>wordfilter console</title>"},
		{"/ui/app.js", "text/javascript; charset=utf-8", `"use strict";`},
		{"/ui/style.css", "text/css; charset=utf-8", "prefers-color-scheme: dark"},
	} {
		r := ts.do("GET", tc.path, nil)
		if r.status != 200 || r.contentType != tc.ctype || !strings.Contains(string(r.body), tc.has) {
			t.Errorf("GET %s = %d %q (%d bytes), want 200 %q holding %q", tc.path, r.status, r.contentType, len(r.body), tc.ctype, tc.has)
		}
	}
	r := ts.do("GET", "/ui/nothing.js", nil)
	if r.status != 404 || r.contentType != "application/json" {
		t.Errorf("GET /ui/nothing.js = %d %q %s, want 404 JSON", r.status, r.contentType, r.body)
	}
	for _, p := range []string{"/v1/console/reloads", "/v1/console/traffic"} {
		if r := ts.do("GET", p, nil); r.status != 200 || r.contentType != "application/json" || !json.Valid(r.body) {
			t.Errorf("GET %s from loopback = %d %q %s, want 200 JSON", p, r.status, r.contentType, r.body)
		}
	}
}

// TestConsoleFilesFetchNothingElsewhere checks that the page loads nothing
// from another host: no absolute URL in a src, href, url() or fetch.
func TestConsoleFilesFetchNothingElsewhere(t *testing.T) {
	ts := newTestServer(t, server.Config{})
	external := regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?(https?:)?//|url\(\s*["']?(https?:)?//|@import|fetch\(\s*["'](https?:)?//`)
	for _, p := range []string{"/ui/", "/ui/app.js", "/ui/style.css"} {
		r := ts.doFrom(loopback, "GET", p, nil)
		if r.status != 200 {
			t.Fatalf("GET %s = %d", p, r.status)
		}
		if m := external.Find(r.body); m != nil {
			t.Errorf("%s refers to another host: %q", p, m)
		}
	}
}

// TestConsoleAccess checks §4's rule on the files and the JSON endpoints:
// loopback clients, or others with the admin token (any scheme case).
func TestConsoleAccess(t *testing.T) {
	ts := newTestServer(t, server.Config{AdminToken: "s3cret"})
	for _, tc := range []struct {
		name, path, auth string
		remote           bool
		status           int
		ctype            string
	}{
		{"loopback page", "/ui/", "", false, 200, "text/html; charset=utf-8"},
		{"loopback api", "/v1/console/reloads", "", false, 200, "application/json"},
		{"remote page without token: the gate", "/ui/", "", true, 401, "text/html; charset=utf-8"},
		{"remote index without token: the gate", "/ui/index.html", "", true, 401, "text/html; charset=utf-8"},
		{"remote script without token", "/ui/app.js", "", true, 401, "application/json"},
		{"remote api without token", "/v1/console/traffic", "", true, 401, "application/json"},
		{"remote wrong token", "/v1/console/reloads", "Bearer nope", true, 401, "application/json"},
		{"remote token without scheme", "/v1/console/reloads", "s3cret", true, 401, "application/json"},
		{"remote token", "/ui/", "Bearer s3cret", true, 200, "text/html; charset=utf-8"},
		{"remote token, scheme in lower case", "/ui/style.css", "bearer s3cret", true, 200, "text/css; charset=utf-8"},
		{"remote token, scheme in upper case", "/v1/console/reloads", "BEARER s3cret", true, 200, "application/json"},
	} {
		from := loopback
		if tc.remote {
			from = remote
		}
		var hdr []string
		if tc.auth != "" {
			hdr = []string{"Authorization", tc.auth}
		}
		r := ts.doFrom(from, "GET", tc.path, nil, hdr...)
		if r.status != tc.status || r.contentType != tc.ctype {
			t.Errorf("%s: GET %s = %d %q, want %d %q", tc.name, tc.path, r.status, r.contentType, tc.status, tc.ctype)
		}
		if tc.ctype == "application/json" && r.status != 200 && !strings.Contains(string(r.body), `"error":`) {
			t.Errorf("%s: refusal %s is not the REST error JSON", tc.name, r.body)
		}
	}
	gate := ts.doFrom(remote, "GET", "/ui/", nil)
	for _, want := range []string{`data-gate="1"`, "admin token", "ssh -L", `id="gate-token"`} {
		if !strings.Contains(string(gate.body), want) {
			t.Errorf("the gate page does not hold %q", want)
		}
	}
	if strings.Contains(string(gate.body), `src="app.js"`) {
		t.Error("the gate page loads app.js, which a browser cannot fetch with the token")
	}
}

// TestConsoleWithoutAdminToken: with no token set, only loopback clients
// may use the console, and the refusal says so (403).
func TestConsoleWithoutAdminToken(t *testing.T) {
	ts := newTestServer(t, server.Config{})
	if r := ts.doFrom(loopback, "GET", "/ui/", nil); r.status != 200 {
		t.Errorf("loopback GET /ui/ = %d", r.status)
	}
	r := ts.doFrom(remote, "GET", "/ui/", nil, "Authorization", "Bearer anything")
	if r.status != 403 || r.contentType != "text/html; charset=utf-8" {
		t.Errorf("remote GET /ui/ = %d %q, want the 403 gate page", r.status, r.contentType)
	}
	r = ts.doFrom(remote, "GET", "/v1/console/reloads", nil)
	if r.status != 403 || !strings.Contains(string(r.body), "loopback") {
		t.Errorf("remote GET /v1/console/reloads = %d %s, want 403 naming loopback", r.status, r.body)
	}
}

// TestConsoleGateCSP checks that the gate page's inline script and style
// are allowed by their hashes in its Content-Security-Policy, and that the
// console's files are served with a policy that allows nothing inline.
func TestConsoleGateCSP(t *testing.T) {
	ts := newTCPTestServer(t, server.Config{})
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.SetRequestURI("http://" + ts.addr + "/ui/")
	if err := ts.cli.DoTimeout(req, resp, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	csp := string(resp.Header.Peek("Content-Security-Policy"))
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("console CSP = %q, want script-src 'self' and nothing inline", csp)
	}
	if got := string(resp.Header.Peek("Referrer-Policy")); got != "no-referrer" {
		t.Errorf("Referrer-Policy = %q, want no-referrer (a deep link holds the text)", got)
	}

	mem := newTestServer(t, server.Config{AdminToken: "s3cret"})
	gate := mem.doFrom(remote, "GET", "/ui/", nil)
	// The in-memory helper does not return headers: ask again with a raw client.
	var r2 fasthttp.Response
	req.Reset()
	req.SetRequestURI("http://wordfilter/ui/")
	cli := &fasthttp.Client{Dial: func(string) (net.Conn, error) { return mem.ln.DialWithLocalAddr(remote) }}
	if err := cli.DoTimeout(req, &r2, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	gcsp := string(r2.Header.Peek("Content-Security-Policy"))
	for _, tag := range []string{"script", "style"} {
		m := regexp.MustCompile(`(?s)<` + tag + `>(.*?)</` + tag + `>`).FindSubmatch(gate.body)
		if m == nil {
			t.Fatalf("the gate page has no inline %s", tag)
		}
		h := sha256.Sum256(m[1])
		want := fmt.Sprintf("%s-src 'sha256-%s'", tag, base64.StdEncoding.EncodeToString(h[:]))
		if !strings.Contains(gcsp, want) {
			t.Errorf("gate CSP %q does not allow its inline %s (%s)", gcsp, tag, want)
		}
	}
}

// TestConsoleIsNeverACallback: a POST under /ui (an OpenIM url pointed
// there by mistake) is 405 JSON that OpenIM reads as a refusal, never as
// allow; /ui redirects a GET (keeping a deep link's text) and nothing else.
func TestConsoleIsNeverACallback(t *testing.T) {
	ts := newTestServer(t, server.Config{})
	for _, p := range []string{"/ui", "/ui/", "/ui/callbackBeforeSendSingleMsgCommand", "/ui/app.js"} {
		r := ts.doFrom(loopback, "POST", p, []byte(`{"callbackCommand":"callbackBeforeSendSingleMsgCommand"}`))
		refused, _, _, ok := openIMVerdict(r.body)
		if r.status != 405 || r.contentType != "application/json" || !ok || !refused {
			t.Errorf("POST %s = %d %q %s, want 405 JSON read by OpenIM as a refusal", p, r.status, r.contentType, r.body)
		}
	}
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.SetRequestURI("http://wordfilter/ui?text=%E6%B3%95%E8%BD%AE%E5%8A%9F")
	if err := ts.cli.DoTimeout(req, resp, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if loc := string(resp.Header.Peek("Location")); resp.StatusCode() != 301 || loc != "/ui/?text=%E6%B3%95%E8%BD%AE%E5%8A%9F" {
		t.Errorf("GET /ui = %d Location %q, want 301 to /ui/?text=...", resp.StatusCode(), loc)
	}
}

// TestConsoleReloads checks the ring of the last 20 reloads: newest first,
// each with its outcome, the unchanged periodic polls left out.
func TestConsoleReloads(t *testing.T) {
	ts := newTestServer(t, server.Config{})
	d := newDict(t, "v1", testWords)
	ts.srv.ObserveReload(dict.ReloadEvent{Trigger: dict.TriggerPoll, Dict: d}) // unchanged poll: not kept
	for i := 0; i < 24; i++ {
		ts.srv.ObserveReload(dict.ReloadEvent{Trigger: dict.TriggerWatch, Dict: newDict(t, fmt.Sprintf("v%d", i), testWords),
			Changed: true, Duration: time.Duration(i+1) * time.Millisecond})
	}
	ts.srv.ObserveReload(dict.ReloadEvent{Trigger: dict.TriggerAPI, Dict: d, Err: errTest, Duration: time.Millisecond})
	ts.srv.ObserveReload(dict.ReloadEvent{Trigger: dict.TriggerAPI, Dict: d, Duration: 2 * time.Millisecond})

	r := ts.doFrom(loopback, "GET", "/v1/console/reloads", nil)
	var got struct {
		Reloads []struct {
			Time            string   `json:"time"`
			Trigger         string   `json:"trigger"`
			Version         string   `json:"version"`
			Outcome         string   `json:"outcome"`
			DurationSeconds float64  `json:"durationSeconds"`
			Errors          []string `json:"errors"`
		} `json:"reloads"`
	}
	if err := json.Unmarshal(r.body, &got); err != nil || r.status != 200 {
		t.Fatalf("GET /v1/console/reloads = %d %s (%v)", r.status, r.body, err)
	}
	if len(got.Reloads) != 20 {
		t.Fatalf("%d reloads kept, want 20", len(got.Reloads))
	}
	first, second, last := got.Reloads[0], got.Reloads[1], got.Reloads[19]
	if first.Outcome != "unchanged" || first.Trigger != "api" || first.DurationSeconds != 0.002 {
		t.Errorf("newest = %+v, want the unchanged api reload of 2ms", first)
	}
	if second.Outcome != "refused" || len(second.Errors) != 1 || second.Errors[0] != errTest.Error() || second.Version != "v1" {
		t.Errorf("second = %+v, want the refused reload with its error, v1 kept", second)
	}
	if last.Outcome != "loaded" || last.Version != "v6" {
		t.Errorf("oldest kept = %+v, want v6 loaded (v0..v5 pushed out)", last)
	}
	if _, err := time.Parse(time.RFC3339Nano, first.Time); err != nil {
		t.Errorf("time %q: %v", first.Time, err)
	}
}

// TestConsoleTraffic sends requests, waits for their second to end, and
// reads them back from GET /v1/console/traffic.
func TestConsoleTraffic(t *testing.T) {
	ts := newTCPTestServer(t, server.Config{})
	if r := ts.do("GET", "/v1/console/traffic?step=7", nil); r.status != 400 {
		t.Errorf("step=7 = %d %s, want 400", r.status, r.body)
	}
	for i := 0; i < 3; i++ {
		ts.do("POST", "/v1/filter", []byte(`{"text":"oh fuck"}`))
	}
	ts.do("POST", "/v1/filter", []byte(`{"text":"hello"}`))
	ts.do("POST", "/v1/filter", []byte(`{"texts":["法轮功","casino"]}`))
	time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(1100 * time.Millisecond)))
	r := ts.do("GET", "/v1/console/traffic?step=1", nil)
	var got struct {
		Start      int64                `json:"start"`
		Step       int                  `json:"step"`
		Seconds    int                  `json:"seconds"`
		Decisions  map[string][]float64 `json:"decisions"`
		P50        []*float64           `json:"p50"`
		P99        []*float64           `json:"p99"`
		Categories []struct {
			Category string `json:"category"`
			Matches  int    `json:"matches"`
		} `json:"categories"`
	}
	if err := json.Unmarshal(r.body, &got); err != nil || r.status != 200 {
		t.Fatalf("GET /v1/console/traffic = %d %s (%v)", r.status, r.body, err)
	}
	if got.Step != 1 || got.Seconds != 900 || len(got.P50) != 900 || len(got.P99) != 900 {
		t.Fatalf("step %d seconds %d, %d p50 points: want 1, 900, 900", got.Step, got.Seconds, len(got.P50))
	}
	want := map[string]float64{"pass": 1, "review": 1, "mask": 3, "block": 1, "error": 0}
	for d, n := range want {
		var sum float64
		for _, v := range got.Decisions[d] {
			sum += v
		}
		if len(got.Decisions[d]) != 900 || sum != n {
			t.Errorf("decision %s: %d points summing to %v, want 900 summing to %v", d, len(got.Decisions[d]), sum, n)
		}
	}
	var latencies int
	for i, p := range got.P50 {
		if p != nil {
			latencies++
			if *p <= 0 || got.P99[i] == nil || *got.P99[i] < *p {
				t.Errorf("point %d: p50 %v p99 %v", i, *p, got.P99[i])
			}
		}
	}
	if latencies == 0 || latencies > 2 {
		t.Errorf("%d points with a latency, want 1 or 2 (the requests' seconds)", latencies)
	}
	cats := fmt.Sprint(got.Categories)
	if cats != "[{profanity 3} {gambling 1} {politics 1}]" {
		t.Errorf("categories = %s, want profanity 3, gambling 1, politics 1", cats)
	}
}
