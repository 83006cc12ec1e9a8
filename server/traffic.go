package server

import (
	"math"
	"sort"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/VictoriaMetrics/metrics"
	"github.com/valyala/fasthttp"
)

// The traffic ring: what the console's Traffic view draws, kept in memory
// for the last trafficSeconds seconds, one bucket a second.
//
// It is fed from the request path, so recording takes no lock and
// allocates nothing: every field of a bucket is an atomic. A bucket is
// reused every trafficSeconds seconds (index = unix second %
// trafficSeconds) and holds the second it counts in sec. The first writer
// that finds an older second there swaps its own in with a compare-and-swap
// and zeroes the counters; only that writer resets, so a bucket is never
// zeroed twice for one second.
//
// The race, and why it is accepted: between the winner's swap and the end
// of its zeroing, another writer of the same second may already increment
// a counter that the winner then zeroes, and that count is lost. This can
// happen only in the first microseconds of a second, only for a bucket
// being reused, and loses a few counts of a chart; making it exact would
// need a lock or a wait on the request path. A writer whose second is
// older than the bucket's (it was descheduled for trafficSeconds seconds)
// drops its count rather than resetting a newer second. A reader may see a
// bucket half-zeroed or half-counted; it skips buckets whose second is not
// the one it wants, so it never shows counts of 15 minutes ago as now.
const (
	trafficSeconds = 900
	// trafficCategories is the number of categories counted by name; more
	// are counted together as "other". A slot is taken for good the first
	// time a category is matched.
	trafficCategories = 32
)

// otherCategory names the categories beyond trafficCategories.
const otherCategory = "other"

// numLatencyBins is one bin per bound of latencyBuckets and one above.
var numLatencyBins = len(latencyBuckets) + 1

// trafficBucket counts one second.
type trafficBucket struct {
	sec        atomic.Int64
	decisions  [numDecisions]atomic.Uint32
	latency    [16]atomic.Uint32 // numLatencyBins used (checked by newTraffic)
	categories [trafficCategories + 1]atomic.Uint32
}

// traffic is the ring of the last trafficSeconds seconds. Create it with
// newTraffic; it is safe for concurrent use.
type traffic struct {
	now     func() time.Time
	buckets [trafficSeconds]trafficBucket
	// names holds the category of each slot; a slot is written once, from
	// nil, by compare-and-swap.
	names [trafficCategories]atomic.Pointer[string]
}

func newTraffic(now func() time.Time) *traffic {
	if numLatencyBins > len(trafficBucket{}.latency) {
		panic("server: traffic latency bins do not fit latencyBuckets")
	}
	return &traffic{now: now}
}

// bucket returns the bucket of second sec, reset if it held an older
// second, or nil if it already holds a newer one.
func (t *traffic) bucket(sec int64) *trafficBucket {
	b := &t.buckets[sec%trafficSeconds]
	for {
		old := b.sec.Load()
		switch {
		case old == sec:
			return b
		case old > sec:
			return nil
		case b.sec.CompareAndSwap(old, sec):
			for i := range b.decisions {
				b.decisions[i].Store(0)
			}
			for i := range b.latency {
				b.latency[i].Store(0)
			}
			for i := range b.categories {
				b.categories[i].Store(0)
			}
			return b
		}
	}
}

// decision counts one request (or one text of a batch) with decision d.
func (t *traffic) decision(d int) {
	if b := t.bucket(t.now().Unix()); b != nil && d >= 0 && d < numDecisions {
		b.decisions[d].Add(1)
	}
}

// latency records the time one request took, from start to now.
func (t *traffic) latency(start time.Time) { t.took(t.now().Sub(start)) }

// took records one request that took d.
func (t *traffic) took(d time.Duration) {
	if b := t.bucket(t.now().Unix()); b != nil {
		b.latency[latencyBin(d.Seconds())].Add(1)
	}
}

// requestClock is the ring's clock on the request path: the second of the
// last request the Handler began, which it already read (time.Now costs
// tens of nanoseconds, and a request would otherwise read it once per
// counter). It is written only when the second changes.
type requestClock struct{ sec atomic.Int64 }

// observe notes the start of a request.
func (c *requestClock) observe(t time.Time) {
	if s := t.Unix(); c.sec.Load() != s {
		c.sec.Store(s)
	}
}

// now returns the second of the last request begun.
func (c *requestClock) now() time.Time { return time.Unix(c.sec.Load(), 0) }

// latencyBin returns the bin of a latency of s seconds.
func latencyBin(s float64) int {
	for i, ub := range latencyBuckets {
		if s <= ub {
			return i
		}
	}
	return len(latencyBuckets)
}

// match counts one match of category.
func (t *traffic) match(category string) {
	if b := t.bucket(t.now().Unix()); b != nil {
		b.categories[t.slot(category)].Add(1)
	}
}

// slot returns the slot of category, taking a free one the first time (the
// only allocation, once per category), or the "other" slot when all are
// taken.
func (t *traffic) slot(category string) int {
	for i := range t.names {
		p := t.names[i].Load()
		if p == nil {
			c := category // a copy the slot keeps; category may be reused
			if t.names[i].CompareAndSwap(nil, &c) {
				return i
			}
			p = t.names[i].Load()
		}
		if *p == category {
			return i
		}
	}
	return trafficCategories
}

// trafficResponse is the answer of GET /v1/console/traffic.
type trafficResponse struct {
	// Start is the unix second the first point begins at; a point covers
	// Step seconds; Seconds is the window (Step × the number of points).
	Start   int64 `json:"start"`
	Step    int   `json:"step"`
	Seconds int   `json:"seconds"`
	// Decisions holds requests per second, by decision, one a point.
	Decisions map[string][]float64 `json:"decisions"`
	// P50 and P99 are latencies in seconds, one a point; null when the
	// point saw no request. They are interpolated within the bins of the
	// latency histogram, so they are estimates.
	P50 []*float64 `json:"p50"`
	P99 []*float64 `json:"p99"`
	// Categories are the categories matched in the window, most first.
	Categories []categoryCount `json:"categories"`
}

type categoryCount struct {
	Category string `json:"category"`
	Matches  uint64 `json:"matches"`
}

// snapshot sums the complete seconds of the last trafficSeconds into
// points of step seconds (step divides trafficSeconds).
func (t *traffic) snapshot(step int) trafficResponse {
	end := t.now().Unix() // the current second is still counting: left out
	points := trafficSeconds / step
	first := end - int64(points*step)
	r := trafficResponse{Start: first, Step: step, Seconds: points * step, Decisions: map[string][]float64{},
		P50: make([]*float64, points), P99: make([]*float64, points)}
	dec := make([][]float64, numDecisions)
	for d := range dec {
		dec[d] = make([]float64, points)
		r.Decisions[decisionLabel(d)] = dec[d]
	}
	var cats [trafficCategories + 1]uint64
	for p := 0; p < points; p++ {
		var hist [16]uint64
		for i := 0; i < step; i++ {
			sec := first + int64(p*step+i)
			b := &t.buckets[sec%trafficSeconds]
			if b.sec.Load() != sec {
				continue
			}
			for d := range dec {
				dec[d][p] += float64(b.decisions[d].Load())
			}
			for j := 0; j < numLatencyBins; j++ {
				hist[j] += uint64(b.latency[j].Load())
			}
			for j := range cats {
				cats[j] += uint64(b.categories[j].Load())
			}
		}
		for d := range dec {
			dec[d][p] /= float64(step)
		}
		r.P50[p] = histQuantile(hist[:numLatencyBins], 0.5)
		r.P99[p] = histQuantile(hist[:numLatencyBins], 0.99)
	}
	r.Categories = []categoryCount{}
	for i, n := range cats {
		if n == 0 {
			continue
		}
		name := otherCategory
		if i < trafficCategories {
			name = *t.names[i].Load()
		}
		r.Categories = append(r.Categories, categoryCount{Category: name, Matches: n})
	}
	sort.Slice(r.Categories, func(i, j int) bool {
		a, b := r.Categories[i], r.Categories[j]
		return a.Matches > b.Matches || a.Matches == b.Matches && a.Category < b.Category
	})
	return r
}

// histQuantile estimates quantile q of a latency histogram (bins of
// latencyBuckets), interpolating linearly within the bin; nil when empty.
// The open last bin answers its lower bound.
func histQuantile(hist []uint64, q float64) *float64 {
	var total uint64
	for _, n := range hist {
		total += n
	}
	if total == 0 {
		return nil
	}
	rank := q * float64(total)
	var seen float64
	for i, n := range hist {
		if n == 0 || seen+float64(n) < rank {
			seen += float64(n)
			continue
		}
		lo := 0.0
		if i > 0 {
			lo = latencyBuckets[i-1]
		}
		if i == len(latencyBuckets) {
			return &lo
		}
		v := lo + (latencyBuckets[i]-lo)*math.Max(0, rank-seen)/float64(n)
		return &v
	}
	v := latencyBuckets[len(latencyBuckets)-1]
	return &v
}

// trafficSteps are the point widths GET /v1/console/traffic accepts.
var trafficSteps = map[int]bool{1: true, 2: true, 3: true, 5: true, 10: true, 15: true, 30: true, 60: true}

// consoleTraffic answers GET /v1/console/traffic[?step=N] under the
// console's access rule: the last 15 minutes in points of N seconds
// (default 10; one of 1, 2, 3, 5, 10, 15, 30, 60).
func (s *Server) consoleTraffic(ctx *fasthttp.RequestCtx) {
	if !s.consoleAPI(ctx) {
		return
	}
	step := 10
	if v := ctx.QueryArgs().Peek("step"); len(v) > 0 {
		n, err := strconv.Atoi(string(v))
		if err != nil || !trafficSteps[n] {
			s.restError(ctx, fasthttp.StatusBadRequest, "step must be one of 1, 2, 3, 5, 10, 15, 30, 60")
			return
		}
		step = n
	}
	s.writeJSON(ctx, fasthttp.StatusOK, s.met.traffic.snapshot(step))
}

// decisionCounter counts the requests of one decision of one route, in the
// metrics and in the traffic ring; it has the Inc of the counter it wraps,
// so that the request path counts as before.
type decisionCounter struct {
	c *metrics.Counter
	t *traffic
	d int
}

// Inc counts one request.
func (c decisionCounter) Inc() {
	c.c.Inc()
	c.t.decision(c.d)
}

// latencyRecorder is a route's latency histogram, also fed to the traffic
// ring.
type latencyRecorder struct {
	h *metrics.PrometheusHistogram
	t *traffic
}

// UpdateDuration records the time since start (one clock read for both).
func (l latencyRecorder) UpdateDuration(start time.Time) {
	d := time.Since(start)
	l.h.Update(d.Seconds())
	l.t.took(d)
}
