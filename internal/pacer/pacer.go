// Package pacer paces a background job, such as a dictionary reload made
// while requests are served, so that it leaves the CPU to them: the job
// calls the hook of a Pacer often, and the hook sleeps or yields after
// every slice of work so that the job takes at most a given share of one
// CPU, and less while the process is busy. The engine knows only the hook
// (filter.Options.Yield).
package pacer

import (
	"math"
	"runtime"
	"time"
)

// paceSlice is how long a paced reload works before it leaves the CPU to
// other goroutines: short enough that a request never waits long behind
// it, long enough that switching costs little.
const paceSlice = 200 * time.Microsecond

// maxPaceCredit bounds how far a sleep that overran may be counted
// against later sleeps, so that a reload never runs a long burst without
// sleeping. Sleeps do overrun: a Go process with nothing else to run
// waits for its next timer in epoll, whose timeout is in whole
// milliseconds, so a sleep of 200µs lasts about 1ms unless a request
// wakes the process first. The credit lets the reload still get its
// share: at ReloadCPU 0.5 it works about 1ms (5 slices, Gosched between
// them) per 1ms asleep.
const maxPaceCredit = 2 * time.Millisecond

// paceBudget is how long a reload is paced at most: after it, the reload
// runs at full speed, so that a change of the folder still takes effect
// within 2 seconds however busy the server is
// (the rest of a zh-xlarge reload takes about 0.4 s of CPU at most).
const paceBudget = time.Second

// paceWindow is how often a pacer measures how busy the process is.
const paceWindow = 5 * time.Millisecond

// paceIdle is the share of the process's CPUs (GOMAXPROCS) that a pacer
// keeps idle for requests: when less was idle over the last window, and
// others (requests, the garbage collector) used more than a third of
// that, it halves its duty (down to a quarter of the most); otherwise it
// raises it by a tenth of the most.
const paceIdle = 0.15

// Pacer paces a background reload so that it leaves the CPU to requests:
// its hook is called often (the Options.Yield of filter.Compile), and after
// every slice of work (paceSlice) it either sleeps, so that over the
// reload work/(work+sleep) stays at most its duty, or, when an earlier
// sleep overran and no sleep is owed, calls runtime.Gosched.
//
// The duty adapts to the load, between maxDuty (the duty given to New) and a
// quarter of it: every paceWindow the pacer reads the process's CPU time,
// and when requests, garbage collection and the reload together left
// less than paceIdle of GOMAXPROCS idle while others than the reload
// used some of it, it halves its duty (requests would start to queue);
// otherwise it raises it again. An idle server
// reloads at maxDuty; a busy one slows the reload down rather than its
// requests.
//
// Both matter with GOMAXPROCS 1: Gosched lets request goroutines that
// are already runnable go first, but only a sleep leaves the processor
// idle, which is when the Go scheduler polls the network for new
// requests (otherwise only its monitor does, every 10ms).
//
// A Pacer serves one reload at a time (one goroutine); it is not safe
// for concurrent use.
type Pacer struct {
	maxDuty float64 // the duty given to New, 0 < maxDuty < 1
	minDuty float64 // maxDuty / 4: a reload takes at most 4/maxDuty times its CPU time
	duty    float64 // the current share, from minDuty to maxDuty
	procs   int     // GOMAXPROCS

	// cpu returns the CPU time the process has used (nil: the duty stays
	// at maxDuty).
	cpu func() time.Duration
	// The current measuring window.
	winStart time.Time
	winCPU   time.Duration
	winWork  time.Duration // the reload's own work in the window

	// The clock and the two ways of leaving the CPU; tests replace them.
	now     func() time.Time
	sleep   func(time.Duration)
	gosched func()

	begin  time.Time     // when the reload started
	budget time.Duration // how long it is paced at most (paceBudget)

	start time.Time     // start of the current slice of work
	owed  time.Duration // sleep owed; negative: a late timer slept ahead
	// worked and slept are the totals of the work and the sleep.
	worked, slept time.Duration
	// slices counts the slices of work that ended with a yield.
	slices int
}

// New returns a Pacer that lets a reload take at most duty of one CPU,
// with the real clock, started now; or nil when duty is 1 or more (no
// pacing).
func New(duty float64) *Pacer {
	if duty >= 1 {
		return nil
	}
	return start(&Pacer{maxDuty: duty, procs: runtime.GOMAXPROCS(0), cpu: processCPU,
		now: time.Now, sleep: time.Sleep, gosched: runtime.Gosched, budget: paceBudget})
}

// start sets the derived fields of p and starts its clock.
func start(p *Pacer) *Pacer {
	p.minDuty = p.maxDuty / 4
	p.duty = p.maxDuty
	p.start = p.now()
	p.begin = p.start
	p.winStart = p.start
	if p.cpu != nil {
		p.winCPU = p.cpu()
	}
	return p
}

// adapt ends the measuring window at t when it is long enough, and sets
// the duty from how busy the process was.
func (p *Pacer) adapt(t time.Time) {
	wall := t.Sub(p.winStart)
	if p.cpu == nil || wall < paceWindow {
		return
	}
	c := p.cpu()
	capacity := float64(wall) * float64(p.procs)
	busy := float64(c-p.winCPU) / capacity
	others := float64(c-p.winCPU-p.winWork) / capacity
	if 1-busy < paceIdle && others > paceIdle/3 {
		p.duty = max(p.minDuty, p.duty/2)
	} else {
		p.duty = min(p.maxDuty, p.duty+p.maxDuty/10)
	}
	p.winStart, p.winCPU, p.winWork = t, c, 0
}

// yield ends the current slice of work when it has lasted paceSlice:
// it sleeps what the duty cycle asks for, or calls runtime.Gosched when
// nothing is owed. Between slices it costs one clock read. Once the
// reload has been paced for its budget, it no longer leaves the CPU.
func (p *Pacer) yield() {
	t := p.now()
	w := t.Sub(p.start)
	if w < paceSlice {
		return
	}
	if t.Sub(p.begin) >= p.budget {
		p.start = t
		return
	}
	p.worked += w
	p.winWork += w
	p.slices++
	p.owed += time.Duration(math.Ceil(float64(w) * (1 - p.duty) / p.duty))
	if p.owed > 0 {
		p.sleep(p.owed)
		t2 := p.now()
		took := t2.Sub(t)
		p.slept += took
		p.owed = max(p.owed-took, -maxPaceCredit)
		t = t2
	} else {
		p.gosched()
		t = p.now()
	}
	p.adapt(t)
	p.start = t
}

// Hook returns the function a reload calls between small steps of work
// (for filter.Options.Yield), or nil for a nil Pacer (no pacing).
func (p *Pacer) Hook() func() {
	if p == nil {
		return nil
	}
	return p.yield
}

// Slept returns how long p has slept so far; 0 for a nil Pacer.
func (p *Pacer) Slept() time.Duration {
	if p == nil {
		return 0
	}
	return p.slept
}
