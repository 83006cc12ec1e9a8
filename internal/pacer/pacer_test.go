package pacer

import (
	"fmt"
	"testing"
	"time"
)

// testPacer is a pacer for duty on the fake clock c, of a process of one
// CPU, paced for at most budget.
func testPacer(duty float64, c *fakeClock, budget time.Duration) *Pacer {
	return start(&Pacer{maxDuty: duty, procs: 1, cpu: c.CPU, now: c.Now, sleep: c.Sleep, gosched: c.Gosched, budget: budget})
}

// fakeClock is the clock of a pacer under test: work and sleep advance it.
type fakeClock struct {
	now time.Time
	// late is how much longer than asked every sleep lasts.
	late time.Duration
	// busy is the share of the CPU that others (requests) use while the
	// pacer sleeps; cpuTime is the process's CPU time, the pacer's work
	// included.
	busy    float64
	cpuTime time.Duration

	sleeps, goscheds int
	// sinceOut is the work done since the pacer last left the CPU.
	sinceOut time.Duration
	// outs records sinceOut each time the pacer left the CPU.
	outs []time.Duration
}

func (c *fakeClock) Now() time.Time { return c.now }

func (c *fakeClock) Sleep(d time.Duration) {
	c.sleeps++
	c.leave()
	c.now = c.now.Add(d + c.late)
	c.cpuTime += time.Duration(c.busy * float64(d+c.late))
}

func (c *fakeClock) CPU() time.Duration { return c.cpuTime }

func (c *fakeClock) Gosched() {
	c.goscheds++
	c.leave()
}

func (c *fakeClock) leave() {
	c.outs = append(c.outs, c.sinceOut)
	c.sinceOut = 0
}

func (c *fakeClock) work(d time.Duration) {
	c.now = c.now.Add(d)
	c.sinceOut += d
	c.cpuTime += d
}

func TestPacerDutyCycle(t *testing.T) {
	const step = 7 * time.Microsecond // work between two calls of the hook
	for _, tc := range []struct {
		duty float64
		late time.Duration
		busy float64
		// want is the expected work/(work+sleep), from want[0] to want[1];
		// nil means the duty.
		want []float64
	}{
		{duty: 0.1}, {duty: 0.25}, {duty: 0.5}, {duty: 0.9},
		{duty: 0.5, late: 50 * time.Microsecond}, {duty: 0.5, late: 3 * time.Millisecond}, {duty: 0.9, late: time.Millisecond},
		// Others use 60% while it sleeps: at 0.5, 20% of the CPU stays idle.
		{duty: 0.5, busy: 0.6},
		// At 80% the idle share (1-0.8)*(1-duty) stays at 15% up to duty 0.25.
		{duty: 0.5, busy: 0.8, want: []float64{0.1, 0.26}},
		// The CPU is always busy: a quarter of the duty, no less.
		{duty: 0.5, busy: 1, want: []float64{0.124, 0.127}},
	} {
		t.Run(fmt.Sprintf("duty=%g/late=%s/busy=%g", tc.duty, tc.late, tc.busy), func(t *testing.T) {
			c := &fakeClock{now: time.Unix(1e9, 0), late: tc.late, busy: tc.busy}
			p := testPacer(tc.duty, c, time.Hour)
			for range 100000 { // 0.7s of work
				c.work(step)
				p.yield()
			}
			worked, slept, slices := p.worked, p.slept, p.slices
			if worked > 700*time.Millisecond || worked < 700*time.Millisecond-paceSlice-step {
				t.Errorf("worked %v, want the 700ms of work minus the last unfinished slice", worked)
			}
			got := float64(worked) / float64(worked+slept)
			switch {
			case got > tc.duty+1e-9:
				t.Errorf("work/(work+sleep) = %.4f, want at most %g", got, tc.duty)
			case tc.want != nil && (got < tc.want[0] || got > tc.want[1]):
				t.Errorf("work/(work+sleep) = %.4f with others busy %g, want from %g to %g", got, tc.busy, tc.want[0], tc.want[1])
			case tc.want == nil && tc.late == 0 && got < tc.duty-0.001:
				t.Errorf("work/(work+sleep) = %.4f with exact sleeps, want %g", got, tc.duty)
			}
			// It leaves the CPU after each slice, and only then.
			if len(c.outs) != slices || c.sleeps+c.goscheds != slices {
				t.Errorf("left the CPU %d times (%d sleeps, %d Gosched), want once per slice (%d)", len(c.outs), c.sleeps, c.goscheds, slices)
			}
			for i, w := range c.outs {
				if w < paceSlice || w >= paceSlice+step {
					t.Fatalf("slice %d: worked %v before leaving the CPU, want from %v to %v", i, w, paceSlice, paceSlice+step)
				}
			}
			if tc.late > paceSlice && c.goscheds == 0 {
				t.Errorf("sleeps %v late, but never a slice without sleep: late sleeps must count", tc.late)
			}
			if tc.late == 0 && c.goscheds != 0 {
				t.Errorf("%d slices without a sleep at duty %g with exact sleeps, want none", c.goscheds, tc.duty)
			}
		})
	}
}

// TestPacerBudget: after its budget a reload runs at full speed, so that a
// change takes effect in time however busy the server is.
func TestPacerBudget(t *testing.T) {
	const step = 7 * time.Microsecond
	c := &fakeClock{now: time.Unix(1e9, 0), busy: 1}
	p := testPacer(0.5, c, paceBudget)
	begin := c.now
	var last time.Time // when the pacer last left the CPU
	for range 200000 { // 1.4s of work
		c.work(step)
		n := c.sleeps + c.goscheds
		p.yield()
		if c.sleeps+c.goscheds != n {
			last = c.now
		}
	}
	if c.sleeps == 0 {
		t.Fatal("never slept: the pacer did not pace at all")
	}
	if d := last.Sub(begin); d > paceBudget+10*time.Millisecond {
		t.Errorf("left the CPU %v after the reload began, want at most the budget %v", d, paceBudget)
	}
	// Fully busy others hold it at a quarter of 0.5 for the budget; the
	// rest of the 1.4s of work then runs without a break.
	if total := c.now.Sub(begin); total > paceBudget+1400*time.Millisecond {
		t.Errorf("reload took %v of wall time, want at most the budget plus its work", total)
	}
}
