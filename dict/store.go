package dict

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/wordfilter/wordfilter/filter"
	"github.com/wordfilter/wordfilter/internal/pacer"
)

// Defaults of Config.
const (
	// DefaultPollInterval is how often Watch re-reads the folder when
	// Config.PollInterval is 0.
	DefaultPollInterval = 2 * time.Second
	// DefaultDebounce is how long Watch waits after the last file-system
	// event of a burst before it reloads, when Config.Debounce is 0.
	DefaultDebounce = 100 * time.Millisecond
	// maxDebounceDelay bounds the wait of a burst that never pauses.
	maxDebounceDelay = time.Second
)

// Triggers of a ReloadEvent.
const (
	TriggerStartup = "startup" // the first load made by Watch
	TriggerWatch   = "watch"   // a file-system event
	TriggerPoll    = "poll"    // the periodic re-read found new content
	TriggerSignal  = "signal"  // SIGHUP (the caller passes it to ReloadFrom)
	TriggerAPI     = "api"     // POST /v1/dict/reload (Reload)
)

// Config configures a Store. The zero value serves the embedded default
// dictionary with default settings.
type Config struct {
	// Dir is the dictionary folder; "" means the embedded default.
	Dir string
	// PollInterval is how often the folder is re-read and its content
	// hash compared, for filesystems where inotify is silent (default 2s;
	// negative disables polling).
	PollInterval time.Duration
	// Debounce is how long Watch waits after a burst of file-system events
	// before it reloads (default 100ms).
	Debounce time.Duration
	// Options are passed to filter.Compile (mask character, ...), as
	// Load passes them: the folder extends the allow phrases and the
	// variants, and its wordfilter.yaml sets Policy and Categories.
	Options filter.Options
	// ReloadCPU is the most of one CPU that a reload made while a
	// dictionary is already in use (watch, poll, signal, API) may take,
	// so that requests keep the CPU: the reload works in slices of about
	// 200µs and sleeps after each so that work/(work+sleep) stays at
	// most ReloadCPU, and less (down to a quarter of it) while requests
	// keep the process's CPUs busy; after one second of pacing the reload
	// finishes at full speed, so that changes take effect within 2s.
	// 0 means DefaultReloadCPU (0.5); 1 or
	// more means no pacing. The first load is never paced. On an idle
	// server at 0.5, the largest dictionary we test with (107k words)
	// loads in about 1s.
	ReloadCPU float64
	// OnReload, when set, is called after every reload attempt, from the
	// goroutine that made it, while the Store still holds its reload lock:
	// it may call Current and LastError but must not call Reload. It is
	// where the caller logs and counts. Watch and poll checks that find
	// the content unchanged (or the same bad content again) make no event;
	// a forced reload always makes one. A watcher that cannot start is
	// reported as an event with Trigger "watch", Err set and Changed false
	// (Watch then polls only).
	OnReload func(ReloadEvent)
}

// ReloadEvent describes one reload attempt.
type ReloadEvent struct {
	// Trigger says what started it: "startup", "watch", "poll", "signal", "api".
	Trigger string
	// Dict is the dictionary in use after the attempt.
	Dict *Dictionary
	// Changed tells whether a new dictionary was swapped in.
	Changed bool
	// Err is the reason a reload was refused (the old dictionary stays).
	Err error
	// Duration is how long reading and compiling took.
	Duration time.Duration
	// Paused is the part of Duration the reload slept to leave the CPU
	// to requests (Config.ReloadCPU); 0 when it was not paced.
	Paused time.Duration
}

// Store holds the current Dictionary and replaces it atomically when the
// folder changes. It is safe for concurrent use: readers call Current for
// a snapshot that stays valid (and unchanged) as long as they hold it;
// reloads are serialised and never overlap.
type Store struct {
	cfg    Config
	folder folder
	cur    atomic.Pointer[Dictionary]
	// lastErr is the message of the last refused reload, nil after a good one.
	lastErr atomic.Pointer[string]

	mu sync.Mutex // serialises reloads; guards the fields below
	// failedVersion is the content version of the last refused load, so
	// that watch and poll do not retry the same bad content.
	failedVersion string
	failedErr     error
	// watch is what the last read says Watch must follow (OS paths).
	watch []string

	// noWatch makes Watch poll only (tests of polling).
	noWatch bool
}

// NewStore returns a Store that has loaded nothing yet: call Reload (or
// Watch) to load the first dictionary.
func NewStore(cfg Config) *Store {
	s := &Store{cfg: cfg}
	if cfg.Dir == "" {
		s.folder = defaultFolder()
	} else {
		s.folder = osFolder(cfg.Dir)
	}
	return s
}

// Current returns the dictionary in use, or nil before the first
// successful load. Callers keep the returned snapshot for a whole request.
func (s *Store) Current() *Dictionary { return s.cur.Load() }

// LastError returns the error of the last refused reload, or "" when the
// last reload succeeded.
func (s *Store) LastError() string {
	if p := s.lastErr.Load(); p != nil {
		return *p
	}
	return ""
}

// Reload reads the folder now and swaps a new dictionary in when its
// content differs from the current one (Trigger "api"). On failure the
// old dictionary stays and the error is returned; ErrorLines gives its
// path:line messages. It waits for a reload in progress to finish.
func (s *Store) Reload() (*Dictionary, error) { return s.reload(TriggerAPI, true) }

// ReloadFrom is Reload with the trigger named in the ReloadEvent (e.g.
// "signal" for SIGHUP).
func (s *Store) ReloadFrom(trigger string) (*Dictionary, error) { return s.reload(trigger, true) }

// source names the dictionary in Dictionary.Source.
func (s *Store) source() string {
	if s.cfg.Dir == "" {
		return EmbeddedSource
	}
	return s.cfg.Dir
}

// reload reads the folder and, when its content is new, compiles and swaps
// it in. A forced reload always makes an event; a watch or poll check
// makes one only when something changed (a new dictionary, a new error,
// or the recovery from an error).
func (s *Store) reload(trigger string, force bool) (*Dictionary, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	start := time.Now()
	cur := s.cur.Load()
	f := s.folder
	var pc *pacer.Pacer
	if cur != nil { // the first load has no requests to leave the CPU to
		pc = pacer.New(s.reloadCPU())
		f.yield = pc.Hook()
	}
	snap, err := f.read()
	s.watch = s.watch[:0]
	for _, p := range snap.watch {
		s.watch = append(s.watch, filepath.Join(s.cfg.Dir, filepath.FromSlash(p)))
	}
	var d *Dictionary
	switch {
	case err != nil:
		if !force && err.Error() == s.LastError() {
			return cur, err // the same problem as last time: already reported
		}
	case cur != nil && snap.version == cur.Version:
		hadErr := s.lastErr.Load() != nil
		s.lastErr.Store(nil)
		s.failedVersion, s.failedErr = "", nil
		if force || hadErr {
			s.emit(ReloadEvent{Trigger: trigger, Dict: cur, Duration: time.Since(start)})
		}
		return cur, nil
	case !force && snap.version == s.failedVersion:
		return cur, s.failedErr
	default:
		d, err = f.build(snap, s.cfg.Options, s.source())
	}
	ev := ReloadEvent{Trigger: trigger, Err: err}
	if err != nil {
		msg := err.Error()
		s.lastErr.Store(&msg)
		s.failedErr = err
		s.failedVersion = snap.version // "" when the folder could not be read
	} else {
		s.cur.Store(d)
		s.lastErr.Store(nil)
		s.failedVersion, s.failedErr = "", nil
		ev.Changed = true
	}
	ev.Dict = s.cur.Load()
	ev.Duration = time.Since(start)
	ev.Paused = pc.Slept()
	s.emit(ev)
	return ev.Dict, err
}

// DefaultReloadCPU is the share of one CPU a background reload may use
// when Config.ReloadCPU is 0.
const DefaultReloadCPU = 0.5

// reloadCPU is Config.ReloadCPU with the default applied.
func (s *Store) reloadCPU() float64 {
	if s.cfg.ReloadCPU <= 0 {
		return DefaultReloadCPU
	}
	return s.cfg.ReloadCPU
}

func (s *Store) emit(ev ReloadEvent) {
	if s.cfg.OnReload != nil {
		s.cfg.OnReload(ev)
	}
}

// watchPaths returns the folders and symlinked files seen by the last read.
func (s *Store) watchPaths() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.watch...)
}

// Watch keeps the dictionary up to date until ctx is done, then returns
// nil. It loads the first dictionary itself when none is loaded yet (a
// refused first load is reported through OnReload and retried on the next
// change).
//
// It watches the folder, every subfolder and every file reached through a
// symlink with fsnotify (what appears later is added), waits for a burst of events to pause
// (Config.Debounce), and also re-reads the folder every
// Config.PollInterval for filesystems where inotify says nothing; both
// compare the content hash, so an unchanged folder is not recompiled. If
// the watcher cannot be started, Watch reports it as a refused "watch"
// event and keeps polling. For the embedded default there is nothing to
// watch: Watch only loads it.
func (s *Store) Watch(ctx context.Context) error {
	if s.Current() == nil {
		s.reload(TriggerStartup, true)
	}
	if s.cfg.Dir == "" {
		<-ctx.Done()
		return nil
	}
	pollC, stopPoll := s.pollTicker()
	defer stopPoll()
	w := s.openWatcher()
	if w != nil {
		defer w.Close()
	}
	l := newWatchLoop(s, w)
	defer l.timer.Stop()
	l.run(ctx, pollC)
	return nil
}

// pollTicker returns the channel of the poll ticker, nil when polling is
// off, and the function that stops it.
func (s *Store) pollTicker() (<-chan time.Time, func()) {
	every := s.cfg.PollInterval
	switch {
	case every < 0:
		return nil, func() {}
	case every == 0:
		every = DefaultPollInterval
	}
	t := time.NewTicker(every)
	return t.C, t.Stop
}

// openWatcher returns a file watcher, or nil when watching is off or the
// system refuses one: then Watch polls only, and says so as a refused
// "watch" event.
func (s *Store) openWatcher() *fsnotify.Watcher {
	if s.noWatch {
		return nil
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		s.emit(ReloadEvent{Trigger: TriggerWatch, Dict: s.Current(),
			Err: fmt.Errorf("dict: cannot watch %q, polling only: %w", s.cfg.Dir, err)})
		return nil
	}
	return w
}

// watchLoop is what Watch keeps between reloads: the watches, and the
// debounce timer that a burst of events arms.
type watchLoop struct {
	s            *Store
	w            *fsnotify.Watcher // nil when polling only
	watched      map[string]bool
	debounce     time.Duration
	timer        *time.Timer
	pendingSince time.Time // zero when no event is pending
}

func newWatchLoop(s *Store, w *fsnotify.Watcher) *watchLoop {
	l := &watchLoop{s: s, w: w, watched: map[string]bool{}, debounce: s.cfg.Debounce, timer: time.NewTimer(time.Hour)}
	if l.debounce <= 0 {
		l.debounce = DefaultDebounce
	}
	l.timer.Stop()
	return l
}

// run reloads on watch events (debounced), watcher errors and poll ticks
// until ctx is done.
func (l *watchLoop) run(ctx context.Context, pollC <-chan time.Time) {
	var events <-chan fsnotify.Event
	var werrs <-chan error
	if l.w != nil {
		events, werrs = l.w.Events, l.w.Errors
	}
	l.resync()
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			l.event(ev)
		case _, ok := <-werrs:
			// An overflowed event queue loses events: reload to be sure.
			if !ok {
				werrs = nil
				continue
			}
			l.timer.Reset(l.debounce)
		case <-l.timer.C:
			l.pendingSince = time.Time{}
			l.s.reload(TriggerWatch, false)
			l.resync()
		case <-pollC:
			l.s.reload(TriggerPoll, false)
			l.resync()
		}
	}
}

// event arms the debounce timer for one watch event, firing at once when
// the burst has lasted maxDebounceDelay, and forgets a watched path that
// went away.
func (l *watchLoop) event(ev fsnotify.Event) {
	if (ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename)) && l.watched[ev.Name] {
		// Forget it, so that it is added again if it comes back.
		_ = l.w.Remove(ev.Name)
		delete(l.watched, ev.Name)
	}
	now := time.Now()
	if l.pendingSince.IsZero() {
		l.pendingSince = now
	}
	if now.Sub(l.pendingSince) >= maxDebounceDelay {
		l.timer.Reset(0)
	} else {
		l.timer.Reset(l.debounce)
	}
}

// resync watches the paths of the last read. A file written into a folder
// after the last read but before its watch was added gives no event: read
// once more after adding watches (an unchanged folder costs only its hash).
func (l *watchLoop) resync() {
	if l.w != nil && syncWatches(l.w, l.watched, l.s.watchPaths()) {
		l.timer.Reset(l.debounce)
	}
}

// syncWatches makes w watch exactly paths and reports whether it added a
// watch.
func syncWatches(w *fsnotify.Watcher, watched map[string]bool, paths []string) (added bool) {
	want := make(map[string]bool, len(paths))
	for _, d := range paths {
		want[d] = true
		if !watched[d] {
			if err := w.Add(d); err == nil {
				watched[d] = true
				added = true
			}
		}
	}
	for d := range watched {
		if !want[d] {
			// The folder may be gone already, and its watch with it.
			_ = w.Remove(d)
			delete(watched, d)
		}
	}
	return added
}
