package server

import (
	"sync/atomic"
	"time"
)

// DefaultRefusalLogRate is how many refusal log lines a second are written
// by default; the rest are counted in wordfilter_log_lines_dropped_total.
const DefaultRefusalLogRate = 100

// lineLimiter lets at most rate events through in each second of the wall
// clock, without locks or allocation, so that a flood of refused messages
// neither floods the log nor slows the request path. The count of a new
// second starts with the first event in it; events racing on the turn of
// a second may let a few more through, never a flood.
type lineLimiter struct {
	rate   int64
	second atomic.Int64 // the Unix second being counted
	count  atomic.Int64 // events in that second
}

func newLineLimiter(rate int) *lineLimiter {
	return &lineLimiter{rate: int64(rate)}
}

// allow reports whether an event at now may be logged.
func (l *lineLimiter) allow(now time.Time) bool {
	if l.rate <= 0 {
		return true // negative: no limit (New turns 0 into the default)
	}
	sec := now.Unix()
	if cur := l.second.Load(); cur != sec {
		if l.second.CompareAndSwap(cur, sec) {
			l.count.Store(0)
		}
	}
	return l.count.Add(1) <= l.rate
}
