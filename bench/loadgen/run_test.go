package loadgen_test

import (
	"context"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
	"github.com/valyala/fasthttp"

	"github.com/wordfilter/wordfilter/bench/loadgen"
)

// fake starts a fasthttp server on 127.0.0.1:0 that answers every request
// with handler, and stops it when the test ends.
func fake(t *testing.T, handler fasthttp.RequestHandler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &fasthttp.Server{Handler: handler}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Shutdown() })
	return ln.Addr().String()
}

func requests(t *testing.T, n int) []loadgen.Request {
	t.Helper()
	mix, _ := loadgen.ParseMix("modify")
	reqs, err := loadgen.Build([]string{"hello", "bad word", "你好"}, mix, loadgen.BuildConfig{Count: n, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	return reqs
}

const allow = `{"actionCode":0,"errCode":0,"errMsg":"","errDlt":"","nextCode":0}`

func TestClosedLoopStopsAtMaxRequests(t *testing.T) {
	t.Parallel()
	var got atomic.Int64
	var badPath atomic.Value
	addr := fake(t, func(ctx *fasthttp.RequestCtx) {
		got.Add(1)
		if !strings.HasPrefix(string(ctx.Path()), "/callbackExample/callback") || string(ctx.Request.Header.Peek("operationID")) == "" ||
			!strings.HasPrefix(string(ctx.Request.Header.ContentType()), "application/json") {
			badPath.Store(string(ctx.Path()))
		}
		ctx.SetBodyString(allow)
	})
	res, err := loadgen.Run(context.Background(), loadgen.Config{
		Name: "fake", Target: addr, Requests: requests(t, 10), Conns: 4,
		Duration: 30 * time.Second, MaxRequests: 500,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent != 500 || res.OK != 500 || got.Load() != 500 || res.Allowed != 500 {
		t.Errorf("sent %d ok %d allowed %d, server got %d; want 500 each", res.Sent, res.OK, res.Allowed, got.Load())
	}
	if p := badPath.Load(); p != nil {
		t.Errorf("request without the OpenIM path or headers: %v", p)
	}
	if res.ErrorCount() != 0 || res.Hist.TotalCount() != 500 {
		t.Errorf("errors %v, histogram count %d", res.Errors, res.Hist.TotalCount())
	}
	if res.Throughput() <= 0 || res.Percentile(50) <= 0 || res.Percentile(50) > res.Max() {
		t.Errorf("throughput %.0f p50 %s max %s", res.Throughput(), res.Percentile(50), res.Max())
	}
}

func TestOpenLoopSendsTheScheduledCount(t *testing.T) {
	t.Parallel()
	var got atomic.Int64
	addr := fake(t, func(ctx *fasthttp.RequestCtx) {
		got.Add(1)
		ctx.SetBodyString(allow)
	})
	res, err := loadgen.Run(context.Background(), loadgen.Config{
		Target: addr, Requests: requests(t, 10), Conns: 8,
		Duration: 500 * time.Millisecond, MaxRequests: 1 << 20, Rate: 400,
	})
	if err != nil {
		t.Fatal(err)
	}
	// 400/s for 0.5s is exactly 200 scheduled requests.
	if res.Sent != 200 || res.OK+res.ErrorCount() != 200 || got.Load() != res.Sent-res.Errors[loadgen.ErrMissed] {
		t.Errorf("sent %d ok %d errors %v, server got %d; want 200 scheduled", res.Sent, res.OK, res.Errors, got.Load())
	}
	if res.Lag == nil || res.Lag.TotalCount() == 0 {
		t.Error("open-loop run recorded no generator lag")
	}
	if res.Rate != 400 || res.Elapsed < 490*time.Millisecond {
		t.Errorf("rate %g elapsed %s", res.Rate, res.Elapsed)
	}
	// The open loop also stops at MaxRequests.
	res, err = loadgen.Run(context.Background(), loadgen.Config{
		Target: addr, Requests: requests(t, 10), Conns: 2, Duration: time.Second, MaxRequests: 30, Rate: 1000,
	})
	if err != nil || res.Sent != 30 {
		t.Errorf("open loop with MaxRequests 30 sent %d (%v)", res.Sent, err)
	}
}

func TestOpenLoopChargesTheWaitToASlowServer(t *testing.T) {
	t.Parallel()
	addr := fake(t, func(ctx *fasthttp.RequestCtx) {
		time.Sleep(20 * time.Millisecond)
		ctx.SetBodyString(allow)
	})
	// One connection can do 50 req/s; 200 req/s must queue, and the queue
	// is charged to the server: latency far above the 20ms service time.
	res, err := loadgen.Run(context.Background(), loadgen.Config{
		Target: addr, Requests: requests(t, 10), Conns: 1, Duration: 300 * time.Millisecond,
		MaxRequests: 1000, Rate: 200, Timeout: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent != 60 {
		t.Errorf("sent %d, want the 60 scheduled", res.Sent)
	}
	if res.Max() < 300*time.Millisecond {
		t.Errorf("max latency %s, want the queueing (≥300ms) charged, not the 20ms service time", res.Max())
	}
}

func TestErrorKinds(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		handler fasthttp.RequestHandler
		kind    string
	}{
		{"status", func(ctx *fasthttp.RequestCtx) { ctx.SetStatusCode(500); ctx.SetBodyString(allow) }, "http_500"},
		{"not json", func(ctx *fasthttp.RequestCtx) { ctx.SetBodyString("ok") }, loadgen.ErrBadJSON},
		{"no errCode", func(ctx *fasthttp.RequestCtx) { ctx.SetBodyString(`{"actionCode":0}`) }, loadgen.ErrBadJSON},
		{"content object", func(ctx *fasthttp.RequestCtx) {
			ctx.SetBodyString(`{"actionCode":0,"errCode":0,"nextCode":0,"content":{"content":"x"}}`)
		}, loadgen.ErrBadJSON},
		{"content not json", func(ctx *fasthttp.RequestCtx) {
			ctx.SetBodyString(`{"actionCode":0,"errCode":0,"nextCode":0,"content":"***"}`)
		}, loadgen.ErrBadJSON},
		{"timeout", func(ctx *fasthttp.RequestCtx) { time.Sleep(300 * time.Millisecond); ctx.SetBodyString(allow) }, loadgen.ErrTimeout},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			addr := fake(t, c.handler)
			res, err := loadgen.Run(context.Background(), loadgen.Config{
				Target: addr, Requests: requests(t, 3), Conns: 1, Duration: 5 * time.Second,
				MaxRequests: 2, Timeout: 100 * time.Millisecond,
			})
			if err != nil {
				t.Fatal(err)
			}
			if res.Errors[c.kind] != 2 || res.OK != 0 {
				t.Errorf("errors %v ok %d, want 2 of kind %s", res.Errors, res.OK, c.kind)
			}
		})
	}
}

func TestConnectErrors(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nobody listens there now
	res, err := loadgen.Run(context.Background(), loadgen.Config{
		Target: addr, Requests: requests(t, 3), Conns: 1, Duration: 5 * time.Second, MaxRequests: 3,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Errors[loadgen.ErrConnect] != 3 {
		t.Errorf("errors %v, want 3 connect errors", res.Errors)
	}
}

func TestAnswerKinds(t *testing.T) {
	t.Parallel()
	var n atomic.Int64
	addr := fake(t, func(ctx *fasthttp.RequestCtx) {
		switch n.Add(1) % 3 {
		case 0:
			ctx.SetBodyString(allow)
		case 1:
			ctx.SetBodyString(`{"actionCode":0,"errCode":0,"errMsg":"","errDlt":"","nextCode":0,"content":"{\"content\":\"bad ***\"}"}`)
		case 2:
			ctx.SetBodyString(`{"actionCode":0,"nextCode":1,"errCode":5001,"errMsg":"blocked","errDlt":""}`)
		}
	})
	res, err := loadgen.Run(context.Background(), loadgen.Config{
		Target: addr, Requests: requests(t, 3), Conns: 1, Duration: 5 * time.Second, MaxRequests: 30,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Allowed != 10 || res.Modified != 10 || res.Blocked != 10 || res.OK != 30 {
		t.Errorf("allowed %d modified %d blocked %d ok %d, want 10/10/10/30", res.Allowed, res.Modified, res.Blocked, res.OK)
	}
}

func TestRunRefusesBadConfig(t *testing.T) {
	t.Parallel()
	reqs := requests(t, 1)
	good := loadgen.Config{Target: "127.0.0.1:1", Requests: reqs, Conns: 1, Duration: time.Second, MaxRequests: 1}
	for name, mod := range map[string]func(*loadgen.Config){
		"remote":       func(c *loadgen.Config) { c.Target = "10.0.0.1:80" },
		"no requests":  func(c *loadgen.Config) { c.Requests = nil },
		"no conns":     func(c *loadgen.Config) { c.Conns = 0 },
		"no duration":  func(c *loadgen.Config) { c.Duration = 0 },
		"too long":     func(c *loadgen.Config) { c.Duration = time.Hour },
		"no max":       func(c *loadgen.Config) { c.MaxRequests = 0 },
		"negative":     func(c *loadgen.Config) { c.Rate = -1 },
		"huge rate":    func(c *loadgen.Config) { c.Rate = 1e9 },
		"neg. timeout": func(c *loadgen.Config) { c.Timeout = -time.Second },
	} {
		cfg := good
		mod(&cfg)
		if _, err := loadgen.Run(context.Background(), cfg); err == nil {
			t.Errorf("%s: Run accepted %+v", name, cfg)
		}
	}
}

func TestResultSummary(t *testing.T) {
	h := hdrhistogram.New(1, 60_000_000, 3)
	for v := int64(1); v <= 1000; v++ { // 1µs .. 1000µs, one each
		h.RecordValue(v)
	}
	r := &loadgen.Result{Hist: h, OK: 1000, Elapsed: 2 * time.Second,
		Errors:   map[string]int64{"timeout": 2, "http_500": 3},
		Timeline: []loadgen.Window{{P99: time.Millisecond}, {P99: 5 * time.Millisecond}, {P99: 2 * time.Millisecond}}}
	f := func(p float64, want time.Duration) {
		t.Helper()
		if got := r.Percentile(p); got != want {
			t.Errorf("Percentile(%g) = %s, want %s", p, got, want)
		}
	}
	f(50, 500*time.Microsecond)
	f(99, 990*time.Microsecond)
	f(99.9, 999*time.Microsecond)
	f(100, 1000*time.Microsecond)
	if r.Max() != time.Millisecond {
		t.Errorf("Max() = %s, want 1ms", r.Max())
	}
	if r.Throughput() != 500 {
		t.Errorf("Throughput() = %g, want 500", r.Throughput())
	}
	if r.ErrorCount() != 5 {
		t.Errorf("ErrorCount() = %d, want 5", r.ErrorCount())
	}
	if r.WorstWindowP99() != 5*time.Millisecond {
		t.Errorf("WorstWindowP99() = %s, want 5ms", r.WorstWindowP99())
	}
	var empty loadgen.Result
	if empty.Percentile(99) != 0 || empty.Max() != 0 || empty.Throughput() != 0 {
		t.Error("an empty Result does not summarise to zeros")
	}
}
