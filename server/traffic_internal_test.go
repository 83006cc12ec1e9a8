package server

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is a clock a test moves by hand, safe for concurrent use.
type fakeClock struct{ ns atomic.Int64 }

func (c *fakeClock) now() time.Time     { return time.Unix(0, c.ns.Load()) }
func (c *fakeClock) set(sec int64)      { c.ns.Store(sec * int64(time.Second)) }
func newFakeClock(sec int64) *fakeClock { c := &fakeClock{}; c.set(sec); return c }

// TestTrafficRecordAllocatesNothing: what the request path calls costs no
// allocation once a category has its slot.
func TestTrafficRecordAllocatesNothing(t *testing.T) {
	tr := newTraffic(time.Now)
	tr.match("profanity") // takes the slot: the one allocation of a category
	start := time.Now()
	dc := decisionCounter{c: nil, t: tr, d: 2}
	allocs := testing.AllocsPerRun(1000, func() {
		tr.decision(0)
		dc.t.decision(dc.d)
		tr.latency(start)
		tr.match("profanity")
	})
	if allocs != 0 {
		t.Errorf("recording allocates %.1f times a call, want 0", allocs)
	}
	if tr.countNow() == 0 {
		t.Error("nothing was recorded")
	}
}

// countNow sums the decisions of the current second (a test helper).
func (t *traffic) countNow() uint32 {
	sec := t.now().Unix()
	b := &t.buckets[sec%trafficSeconds]
	if b.sec.Load() != sec {
		return 0
	}
	var n uint32
	for i := range b.decisions {
		n += b.decisions[i].Load()
	}
	return n
}

// TestTrafficHammer records from many goroutines at once: within a second
// whose bucket is already in use no count is lost; across seconds that
// reuse buckets (run with -race) nothing is torn and no second shows more
// than was recorded in it.
func TestTrafficHammer(t *testing.T) {
	const workers, each = 8, 5000
	clock := newFakeClock(1_000_000)
	tr := newTraffic(clock.now)
	tr.decision(0) // the bucket of this second is reset before the hammer
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				tr.decision(1 + i%3)
				tr.match([]string{"a", "b", "c"}[i%3])
			}
		}()
	}
	wg.Wait()
	if got := tr.countNow(); got != workers*each+1 {
		t.Errorf("%d requests counted, want %d", got, workers*each+1)
	}

	// Now with the clock moving by trafficSeconds: every write resets.
	var stop atomic.Bool
	var mover sync.WaitGroup
	mover.Add(1)
	go func() {
		defer mover.Done()
		for s := int64(1_000_001); !stop.Load(); s += trafficSeconds {
			clock.set(s)
		}
	}()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				tr.decision(i % numDecisions)
				tr.latency(clock.now().Add(-time.Millisecond))
			}
		}()
	}
	wg.Wait()
	stop.Store(true)
	mover.Wait()
	b := &tr.buckets[1_000_001%trafficSeconds]
	var n uint64
	for i := range b.decisions {
		n += uint64(b.decisions[i].Load())
	}
	if n > workers*each {
		t.Errorf("the last second holds %d requests, more than the %d recorded", n, workers*each)
	}
}

// TestTrafficBucketReuse: a bucket reused 15 minutes later starts from
// zero; a late writer of an older second does not touch it; the snapshot
// shows each count at its second only.
func TestTrafficBucketReuse(t *testing.T) {
	clock := newFakeClock(9_000)
	tr := newTraffic(clock.now)
	tr.decision(3) // block at second 9000
	tr.match("x")
	clock.set(9_000 + trafficSeconds)
	tr.decision(2) // mask at 9900, same bucket
	if got := tr.buckets[0].decisions[3].Load(); got != 0 {
		t.Errorf("the reused bucket kept %d blocks of 15 minutes ago", got)
	}
	// A writer still at 9000 (descheduled for 15 minutes) is dropped.
	if b := tr.bucket(9_000); b != nil {
		t.Error("an older second reset a newer bucket")
	}
	clock.set(9_000 + trafficSeconds + 1)
	r := tr.snapshot(1)
	if r.Start != 9_001 || len(r.Decisions["mask"]) != trafficSeconds {
		t.Fatalf("start %d, %d points", r.Start, len(r.Decisions["mask"]))
	}
	if last := r.Decisions["mask"][trafficSeconds-1]; last != 1 {
		t.Errorf("mask at the last point = %v, want 1", last)
	}
	var blocks float64
	for _, v := range r.Decisions["block"] {
		blocks += v
	}
	if blocks != 0 || len(r.Categories) != 0 {
		t.Errorf("the window shows %v blocks and categories %v from before it", blocks, r.Categories)
	}
}

// TestHistQuantile checks the estimate on known histograms.
func TestHistQuantile(t *testing.T) {
	hist := make([]uint64, len(latencyBuckets)+1)
	if histQuantile(hist, 0.5) != nil {
		t.Error("an empty histogram has a quantile")
	}
	hist[2] = 100 // all between 0.0001 and 0.00025 s
	p50 := *histQuantile(hist, 0.5)
	if p50 <= latencyBuckets[1] || p50 > latencyBuckets[2] {
		t.Errorf("p50 = %v, want within (%v, %v]", p50, latencyBuckets[1], latencyBuckets[2])
	}
	hist[len(hist)-1] = 10000 // most over the last bound
	if p99 := *histQuantile(hist, 0.99); p99 != latencyBuckets[len(latencyBuckets)-1] {
		t.Errorf("p99 in the open bin = %v, want its lower bound %v", p99, latencyBuckets[len(latencyBuckets)-1])
	}
}

// TestTrafficCategorySlots: past trafficCategories names, matches count
// as "other".
func TestTrafficCategorySlots(t *testing.T) {
	clock := newFakeClock(5_000)
	tr := newTraffic(clock.now)
	for i := 0; i < trafficCategories+3; i++ {
		tr.match(string(rune('A' + i)))
	}
	tr.match("A")
	clock.set(5_001)
	r := tr.snapshot(10)
	if len(r.Categories) != trafficCategories+1 {
		t.Fatalf("%d categories, want %d named and other", len(r.Categories), trafficCategories)
	}
	if c := r.Categories[0]; c.Category != otherCategory || c.Matches != 3 {
		t.Errorf("first = %+v, want other with 3 (the names past the slots)", c)
	}
	if c := r.Categories[1]; c.Category != "A" || c.Matches != 2 {
		t.Errorf("second = %+v, want A with 2", c)
	}
}
