package dict

import "time"

// PollOnly makes s.Watch poll without a file-system watcher.
func PollOnly(s *Store) { s.noWatch = true }

// Check runs the check a watch event or a poll tick makes.
func Check(s *Store, trigger string) (*Dictionary, error) { return s.reload(trigger, false) }

// TestPacer is a pacer on a fake clock, for tests of the duty cycle.
type TestPacer struct{ p *pacer }

// NewTestPacer returns a pacer for duty that reads the clock with now,
// sleeps with sleep, yields with gosched and reads the CPU time of a
// process of one CPU with cpu.
func NewTestPacer(duty float64, now func() time.Time, sleep func(time.Duration), gosched func(), cpu func() time.Duration) TestPacer {
	return TestPacer{startPacer(&pacer{maxDuty: duty, procs: 1, cpu: cpu, now: now, sleep: sleep, gosched: gosched, budget: time.Hour})}
}

// SetBudget sets how long the pacer paces at most (the real one:
// PaceBudget).
func (t TestPacer) SetBudget(d time.Duration) { t.p.budget = d }

// PaceBudget is how long a reload is paced at most.
const PaceBudget = paceBudget

// Yield is the hook the reload calls.
func (t TestPacer) Yield() { t.p.yield() }

// Totals returns the work and sleep counted so far and the slices ended.
func (t TestPacer) Totals() (worked, slept time.Duration, slices int) {
	return t.p.worked, t.p.slept, t.p.slices
}

// PaceSlice is how long a paced reload works between two yields.
const PaceSlice = paceSlice
