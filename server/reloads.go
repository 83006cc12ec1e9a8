package server

import (
	"sync"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/wordfilter/wordfilter/dict"
)

// recentReloadsKept is how many reloads the console shows.
const recentReloadsKept = 20

// Outcomes of a recorded reload.
const (
	reloadLoaded    = "loaded"    // a new dictionary is in use
	reloadUnchanged = "unchanged" // asked for, or the folder readable again; same content
	reloadRefused   = "refused"   // errors; the dictionary in use stays
	reloadFailed    = "failed"    // errors and no dictionary in use
)

// reloadRecord is one reload as GET /v1/console/reloads shows it.
type reloadRecord struct {
	Time            string   `json:"time"` // RFC 3339, UTC, when the attempt ended
	Trigger         string   `json:"trigger"`
	Version         string   `json:"version"` // of the dictionary in use after it ("" when none)
	Outcome         string   `json:"outcome"`
	DurationSeconds float64  `json:"durationSeconds"`
	Errors          []string `json:"errors,omitempty"`
}

// reloadRing keeps the last recentReloadsKept reloads in memory. Reloads
// are rare, so a mutex guards it. The zero value is ready to use.
type reloadRing struct {
	mu   sync.Mutex
	buf  [recentReloadsKept]reloadRecord
	next int // total recorded; the newest is buf[(next-1)%len(buf)]
}

// observe records ev when ObserveReload logs it at info level or above:
// a change, an error, a reload the operator asked for, the folder readable
// again (wasFailing). The periodic re-reads that found nothing new are
// left out, so that they do not push the interesting ones away.
func (r *reloadRing) observe(ev dict.ReloadEvent, wasFailing bool) {
	rec := reloadRecord{Time: time.Now().UTC().Format(time.RFC3339Nano), Trigger: ev.Trigger,
		DurationSeconds: ev.Duration.Seconds()}
	if ev.Dict != nil {
		rec.Version = ev.Dict.Version
	}
	switch {
	case ev.Err != nil && ev.Dict != nil:
		rec.Outcome, rec.Errors = reloadRefused, errorLines(ev.Err)
	case ev.Err != nil:
		rec.Outcome, rec.Errors = reloadFailed, errorLines(ev.Err)
	case ev.Changed:
		rec.Outcome = reloadLoaded
	case wasFailing || ev.Trigger == dict.TriggerSignal || ev.Trigger == dict.TriggerAPI:
		rec.Outcome = reloadUnchanged
	default:
		return
	}
	r.mu.Lock()
	r.buf[r.next%len(r.buf)] = rec
	r.next++
	r.mu.Unlock()
}

// errorLines returns the path:line lines of a reload error, or its text.
func errorLines(err error) []string {
	if lines := dict.ErrorLines(err); len(lines) > 0 {
		return lines
	}
	return []string{err.Error()}
}

// list returns the records kept, newest first (never nil).
func (r *reloadRing) list() []reloadRecord {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := min(r.next, len(r.buf))
	out := make([]reloadRecord, 0, n)
	for i := 1; i <= n; i++ {
		out = append(out, r.buf[(r.next-i)%len(r.buf)])
	}
	return out
}

// reloadsResponse is the answer of GET /v1/console/reloads.
type reloadsResponse struct {
	Reloads []reloadRecord `json:"reloads"`
}

// consoleReloads answers GET /v1/console/reloads: the last reloads, newest
// first, under the console's access rule.
func (s *Server) consoleReloads(ctx *fasthttp.RequestCtx) {
	if !s.consoleAPI(ctx) {
		return
	}
	s.writeJSON(ctx, fasthttp.StatusOK, reloadsResponse{Reloads: s.recentReloads.list()})
}
