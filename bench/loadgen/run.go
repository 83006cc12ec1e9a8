package loadgen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
	"github.com/bytedance/sonic"
	"github.com/valyala/fasthttp"
)

// Error kinds counted in Result.Errors.
const (
	// ErrConnect: the TCP connection could not be made (refused, dial timeout).
	ErrConnect = "connect"
	// ErrTimeout: no complete answer within Config.Timeout.
	ErrTimeout = "timeout"
	// ErrIO: the connection broke while sending or reading.
	ErrIO = "io"
	// ErrBadJSON: HTTP 200 whose body is not an OpenIM callback answer (a
	// JSON object with actionCode and errCode, and a "content" that is a
	// string holding a JSON object when present).
	ErrBadJSON = "bad_json"
	// ErrMissed: open loop only; a scheduled request could not be sent before
	// the end of the run plus Config.Timeout (the target fell behind).
	ErrMissed = "missed"
	// ErrStatusPrefix prefixes the HTTP status of a non-200 answer, as in
	// "http_500".
	ErrStatusPrefix = "http_"
)

// Limits that bound every run.
const (
	// MaxDuration is the longest run Run accepts.
	MaxDuration = 10 * time.Minute
	// MaxConns is the most connections Run opens.
	MaxConns = 1024
	// MaxRate is the highest open-loop rate Run accepts, in requests/s.
	MaxRate = 1_000_000
)

// histMax is the highest latency the histograms track, in microseconds.
const histMax = int64(time.Minute / time.Microsecond)

// Config describes one run against one target.
type Config struct {
	// Name labels the run in progress lines and results.
	Name string
	// Target is the loopback "host:port" or http:// URL to load.
	Target string
	// Requests are sent in order, round robin; at least one.
	Requests []Request
	// Conns is the number of connections (and of concurrent requests).
	Conns int
	// Duration bounds the run (at most MaxDuration).
	Duration time.Duration
	// MaxRequests bounds the number of requests sent (at least 1).
	MaxRequests int64
	// Rate, when above 0, makes the run open loop at Rate requests/s.
	Rate float64
	// Timeout bounds each request (default 2s).
	Timeout time.Duration
	// Window is the width of the timeline windows (default 1s).
	Window time.Duration
	// Progress, when not nil, receives a live progress line ("\r"-updated)
	// every 500ms; pass it only when it is a terminal.
	Progress io.Writer
}

// Window is the latency and error summary of one time slice of a run.
type Window struct {
	// Start is the slice's offset from the start of the run.
	Start time.Duration
	// Count is the number of answers that completed in the slice.
	Count int64
	// Errors is the number of failed requests that completed in the slice.
	Errors int64
	// P50, P99 and Max are the latencies of the slice's answers.
	P50, P99, Max time.Duration
}

// Result is what one run measured.
type Result struct {
	// Name and Target are those of the Config.
	Name, Target string
	// Rate is the open-loop rate, 0 for a closed-loop run.
	Rate float64
	// Conns is the number of connections.
	Conns int
	// Start is when the run started; Timeline windows count from it.
	Start time.Time
	// Elapsed is the measured duration, from the start until the last
	// answer.
	Elapsed time.Duration
	// Sent is the number of requests sent (or, open loop, scheduled).
	Sent int64
	// OK is the number of 200 answers that were valid callback answers.
	OK int64
	// Allowed, Modified and Blocked split OK: plain allow, allow with a
	// rewritten "content", and refusal (nextCode 1).
	Allowed, Modified, Blocked int64
	// Errors counts failures by kind (see the Err* constants).
	Errors map[string]int64
	// Hist holds the latency of every OK answer, in microseconds.
	Hist *hdrhistogram.Histogram
	// Lag, open loop only, holds how late the generator woke for each
	// request it slept for (timer granularity and CPU contention of the
	// load generator itself), in microseconds. Not part of Hist.
	Lag *hdrhistogram.Histogram
	// Timeline summarises each Config.Window of the run.
	Timeline []Window
}

// Throughput returns the OK answers per second.
func (r *Result) Throughput() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.OK) / r.Elapsed.Seconds()
}

// ErrorCount returns the number of failed requests of every kind.
func (r *Result) ErrorCount() int64 {
	var n int64
	for _, c := range r.Errors {
		n += c
	}
	return n
}

// Percentile returns the latency at percentile p (0 to 100) of the OK
// answers, or 0 when there is none.
func (r *Result) Percentile(p float64) time.Duration {
	if r.Hist == nil || r.Hist.TotalCount() == 0 {
		return 0
	}
	return time.Duration(r.Hist.ValueAtPercentile(p)) * time.Microsecond
}

// Max returns the highest latency of the OK answers.
func (r *Result) Max() time.Duration {
	if r.Hist == nil || r.Hist.TotalCount() == 0 {
		return 0
	}
	return time.Duration(r.Hist.Max()) * time.Microsecond
}

// WorstWindowP99 returns the highest p99 of any timeline window.
func (r *Result) WorstWindowP99() time.Duration {
	var w time.Duration
	for _, s := range r.Timeline {
		w = max(w, s.P99)
	}
	return w
}

// newHist returns an empty latency histogram in microseconds.
func newHist() *hdrhistogram.Histogram { return hdrhistogram.New(1, histMax, 3) }

func recordLatency(h *hdrhistogram.Histogram, d time.Duration) {
	us := int64(d / time.Microsecond)
	if us < 1 {
		us = 1
	}
	if us > histMax {
		us = histMax
	}
	_ = h.RecordValue(us) // cannot fail: us is within the histogram's range
}

// validate checks cfg and fills its defaults.
func (cfg *Config) validate() (string, error) {
	addr, err := CheckLoopback(cfg.Target)
	if err != nil {
		return "", err
	}
	switch {
	case len(cfg.Requests) == 0:
		return "", errors.New("loadgen: no request to send")
	case cfg.Conns < 1 || cfg.Conns > MaxConns:
		return "", fmt.Errorf("loadgen: conns must be from 1 to %d, not %d", MaxConns, cfg.Conns)
	case cfg.Duration <= 0 || cfg.Duration > MaxDuration:
		return "", fmt.Errorf("loadgen: duration must be above 0 and at most %s, not %s", MaxDuration, cfg.Duration)
	case cfg.MaxRequests < 1:
		return "", fmt.Errorf("loadgen: max requests must be at least 1, not %d", cfg.MaxRequests)
	case cfg.Rate < 0 || cfg.Rate > MaxRate:
		return "", fmt.Errorf("loadgen: rate must be from 0 (closed loop) to %d requests/s, not %g", MaxRate, cfg.Rate)
	case cfg.Timeout < 0:
		return "", fmt.Errorf("loadgen: timeout must not be negative, not %s", cfg.Timeout)
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 2 * time.Second
	}
	if cfg.Window <= 0 {
		cfg.Window = time.Second
	}
	if cfg.Name == "" {
		cfg.Name = addr
	}
	return addr, nil
}

// recorder gathers the measurements of one run. Each worker has its own
// histogram and counters; the timeline is shared under a mutex.
type recorder struct {
	start  time.Time
	window time.Duration

	sent, ok, allowed, modified, blocked, failed atomic.Int64

	mu       sync.Mutex
	errs     map[string]int64
	timeline []*windowHist
}

type windowHist struct {
	h      *hdrhistogram.Histogram
	errors int64
}

func (r *recorder) windowAt(done time.Time) *windowHist {
	i := int(done.Sub(r.start) / r.window)
	if i < 0 {
		i = 0
	}
	for len(r.timeline) <= i {
		r.timeline = append(r.timeline, &windowHist{h: hdrhistogram.New(1, histMax, 2)})
	}
	return r.timeline[i]
}

func (r *recorder) fail(kind string, done time.Time) {
	r.failed.Add(1)
	r.mu.Lock()
	r.errs[kind]++
	r.windowAt(done).errors++
	r.mu.Unlock()
}

func (r *recorder) success(lat time.Duration, done time.Time) {
	r.mu.Lock()
	recordLatency(r.windowAt(done).h, lat)
	r.mu.Unlock()
}

// answer is the part of an OpenIM callback answer the load checks.
type answer struct {
	ActionCode *int32  `json:"actionCode"`
	ErrCode    *int32  `json:"errCode"`
	NextCode   *int32  `json:"nextCode"`
	Content    *string `json:"content"`
}

// classify returns the error kind of a transport error.
func classify(err error) string {
	var ne net.Error
	var oe *net.OpError
	switch {
	case errors.Is(err, fasthttp.ErrDialTimeout), errors.Is(err, syscall.ECONNREFUSED):
		return ErrConnect
	case errors.As(err, &oe) && oe.Op == "dial":
		return ErrConnect
	case errors.Is(err, fasthttp.ErrTimeout), errors.Is(err, os.ErrDeadlineExceeded),
		errors.As(err, &ne) && ne.Timeout():
		return ErrTimeout
	}
	return ErrIO
}

// checkAnswer validates a 200 body and returns which kind of answer it is:
// 'a' allow, 'm' modified, 'b' blocked, or 0 for a bad answer.
func checkAnswer(body []byte) byte {
	var a answer
	if err := sonic.Unmarshal(body, &a); err != nil || a.ActionCode == nil || a.ErrCode == nil {
		return 0
	}
	if a.NextCode != nil && *a.NextCode == 1 && *a.ActionCode == 0 {
		return 'b'
	}
	if a.Content != nil {
		var elem map[string]any
		if err := sonic.UnmarshalString(*a.Content, &elem); err != nil || elem == nil {
			return 0
		}
		return 'm'
	}
	return 'a'
}

// Run sends cfg's load and returns what it measured. It stops at
// cfg.Duration, after cfg.MaxRequests requests, or when ctx is done
// (returning what was measured so far and ctx's error).
func Run(ctx context.Context, cfg Config) (*Result, error) {
	addr, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	client := &fasthttp.HostClient{
		Addr:                          addr,
		Name:                          "wordfilter-bench",
		MaxConns:                      cfg.Conns,
		ReadTimeout:                   cfg.Timeout,
		WriteTimeout:                  cfg.Timeout,
		MaxConnWaitTimeout:            cfg.Timeout,
		MaxIdleConnDuration:           time.Minute,
		NoDefaultUserAgentHeader:      true,
		DisableHeaderNamesNormalizing: true,
		DisablePathNormalizing:        true,
	}
	defer client.CloseIdleConnections()

	rec := &recorder{window: cfg.Window, errs: map[string]int64{}}
	hists := make([]*hdrhistogram.Histogram, cfg.Conns)
	lags := make([]*hdrhistogram.Histogram, cfg.Conns)
	var wg sync.WaitGroup
	runCtx, cancel := context.WithTimeout(ctx, cfg.Duration+cfg.Timeout+time.Second)
	defer cancel()

	var next atomic.Int64
	total := cfg.MaxRequests
	var interval time.Duration
	if cfg.Rate > 0 {
		interval = time.Duration(float64(time.Second) / cfg.Rate)
		if interval <= 0 {
			interval = 1
		}
		total = min(total, int64(cfg.Duration/interval))
		if total < 1 {
			total = 1
		}
	}
	rec.start = time.Now()
	deadline := rec.start.Add(cfg.Duration)
	lateLimit := deadline.Add(cfg.Timeout)
	stopProgress := startProgress(cfg, rec)

	for w := 0; w < cfg.Conns; w++ {
		hists[w] = newHist()
		wg.Add(1)
		lags[w] = hdrhistogram.New(1, histMax, 2)
		go func(h, lag *hdrhistogram.Histogram) {
			defer wg.Done()
			timer := time.NewTimer(time.Hour)
			timer.Stop()
			req := fasthttp.AcquireRequest()
			resp := fasthttp.AcquireResponse()
			defer fasthttp.ReleaseRequest(req)
			defer fasthttp.ReleaseResponse(resp)
			for runCtx.Err() == nil {
				i := next.Add(1) - 1
				if i >= total {
					return
				}
				var begin time.Time
				if interval > 0 {
					// A request that waited for a free connection is timed
					// from its scheduled time; one this worker slept for is
					// timed from when the sleep ended, so the timer's own
					// lateness is not charged to the server (it is kept
					// apart in Result.Lag).
					sched := rec.start.Add(time.Duration(i) * interval)
					now := time.Now()
					begin = sched
					if wait := sched.Sub(now); wait > 0 {
						timer.Reset(wait)
						select {
						case <-timer.C:
						case <-runCtx.Done():
							return
						}
						begin = time.Now()
						recordLatency(lag, begin.Sub(sched))
					} else if now.After(lateLimit) {
						rec.sent.Add(1)
						rec.fail(ErrMissed, now)
						continue
					}
				} else {
					begin = time.Now()
					if begin.After(deadline) {
						return
					}
				}
				r := &cfg.Requests[int(i%int64(len(cfg.Requests)))]
				req.Reset()
				req.Header.SetMethod(fasthttp.MethodPost)
				req.SetRequestURI(r.Path)
				req.Header.SetHost(addr)
				req.Header.SetContentType("application/json; charset=utf-8")
				req.Header.Set("operationID", r.OperationID)
				req.SetBodyRaw(r.Body)
				rec.sent.Add(1)
				err := client.Do(req, resp)
				done := time.Now()
				lat := done.Sub(begin)
				if err != nil {
					rec.fail(classify(err), done)
					continue
				}
				if sc := resp.StatusCode(); sc != fasthttp.StatusOK {
					rec.fail(ErrStatusPrefix+strconv.Itoa(sc), done)
					continue
				}
				switch checkAnswer(resp.Body()) {
				case 'a':
					rec.allowed.Add(1)
				case 'm':
					rec.modified.Add(1)
				case 'b':
					rec.blocked.Add(1)
				default:
					rec.fail(ErrBadJSON, done)
					continue
				}
				rec.ok.Add(1)
				recordLatency(h, lat)
				rec.success(lat, done)
			}
		}(hists[w], lags[w])
	}
	wg.Wait()
	end := time.Now()
	stopProgress()

	res := &Result{
		Name: cfg.Name, Target: addr, Rate: cfg.Rate, Conns: cfg.Conns, Start: rec.start,
		Sent: rec.sent.Load(), OK: rec.ok.Load(),
		Allowed: rec.allowed.Load(), Modified: rec.modified.Load(), Blocked: rec.blocked.Load(),
		Errors: rec.errs, Hist: newHist(),
	}
	res.Elapsed = end.Sub(rec.start)
	for w, h := range hists {
		res.Hist.Merge(h)
		if interval > 0 {
			if res.Lag == nil {
				res.Lag = hdrhistogram.New(1, histMax, 2)
			}
			res.Lag.Merge(lags[w])
		}
	}
	for i, w := range rec.timeline {
		res.Timeline = append(res.Timeline, Window{
			Start: time.Duration(i) * cfg.Window, Count: w.h.TotalCount() + w.errors, Errors: w.errors,
			P50: time.Duration(w.h.ValueAtPercentile(50)) * time.Microsecond,
			P99: time.Duration(w.h.ValueAtPercentile(99)) * time.Microsecond,
			Max: time.Duration(w.h.Max()) * time.Microsecond,
		})
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	return res, nil
}

// startProgress prints a live progress line to cfg.Progress every 500ms
// until the returned function is called.
func startProgress(cfg Config, rec *recorder) func() {
	if cfg.Progress == nil {
		return func() {}
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(500 * time.Millisecond)
		defer t.Stop()
		var lastOK int64
		last := rec.start
		for {
			select {
			case <-stop:
				fmt.Fprint(cfg.Progress, "\r\033[K")
				return
			case now := <-t.C:
				ok := rec.ok.Load()
				rps := float64(ok-lastOK) / now.Sub(last).Seconds()
				lastOK, last = ok, now
				fmt.Fprintf(cfg.Progress, "\r\033[K%-12s %5.1fs/%s  sent %d  ok %d  errors %d  %.0f req/s",
					cfg.Name, now.Sub(rec.start).Seconds(), cfg.Duration, rec.sent.Load(), ok, rec.failed.Load(), rps)
			}
		}
	}()
	return func() { close(stop); <-done }
}
