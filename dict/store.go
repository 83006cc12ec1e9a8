package dict

// TEMPORARY stub of the Store API so that server/ and cmd/ can be written
// against it; the dictionary work replaces this file (same exported
// signatures, real parsing, hashing, watching).

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wordfilter/wordfilter/filter"
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
	// Options are passed to filter.Compile (mask character, ...); the
	// allow list comes from the folder.
	Options filter.Options
	// OnReload, when set, is called after every reload attempt, from the
	// goroutine that made it. It is where the caller logs and counts.
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
	// Duration is how long loading and compiling took.
	Duration time.Duration
}

// Store holds the current Dictionary and replaces it atomically when the
// folder changes. It is safe for concurrent use.
type Store struct {
	cfg     Config
	cur     atomic.Pointer[Dictionary]
	mu      sync.Mutex // serialises reloads
	lastErr atomic.Pointer[string]
}

// NewStore returns a Store that has loaded nothing yet: call Reload (or
// Watch) to load the first dictionary.
func NewStore(cfg Config) *Store { return &Store{cfg: cfg} }

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

// Reload loads and compiles the folder now and swaps it in on success.
// On failure the old dictionary stays and the error is returned;
// ErrorLines gives its path:line messages.
func (s *Store) Reload() (*Dictionary, error) { return s.reload("api") }

// ReloadFrom is Reload with the trigger named in the ReloadEvent.
func (s *Store) ReloadFrom(trigger string) (*Dictionary, error) { return s.reload(trigger) }

func (s *Store) reload(trigger string) (*Dictionary, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	start := time.Now()
	d, err := s.load()
	ev := ReloadEvent{Trigger: trigger, Err: err, Duration: time.Since(start)}
	if err != nil {
		msg := err.Error()
		s.lastErr.Store(&msg)
	} else {
		s.cur.Store(d)
		s.lastErr.Store(nil)
		ev.Changed = true
	}
	ev.Dict = s.cur.Load()
	if s.cfg.OnReload != nil {
		s.cfg.OnReload(ev)
	}
	return ev.Dict, err
}

func (s *Store) load() (*Dictionary, error) {
	var words []filter.Word
	h := sha256.New()
	if s.cfg.Dir == "" {
		for _, w := range []string{"fuck", "shit", "法轮功"} {
			words = append(words, filter.Word{Text: w, Category: "default", Action: filter.Mask})
			h.Write([]byte(w + "\n"))
		}
	} else {
		files, _ := filepath.Glob(filepath.Join(s.cfg.Dir, "*.txt"))
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			h.Write(b)
			cat := strings.TrimSuffix(filepath.Base(f), ".txt")
			for _, line := range strings.Split(string(b), "\n") {
				if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
					words = append(words, filter.Word{Text: line, Category: cat, Action: filter.Mask})
				}
			}
		}
	}
	m, err := filter.Compile(words, s.cfg.Options)
	if err != nil {
		return nil, err
	}
	cats := map[string]int{}
	for i := 0; i < m.Len(); i++ {
		cats[m.Word(i).Category]++
	}
	src := s.cfg.Dir
	if src == "" {
		src = "embedded"
	}
	return &Dictionary{Matcher: m, Version: hex.EncodeToString(h.Sum(nil))[:16], Words: m.Len(),
		Categories: cats, LoadedAt: time.Now(), Source: src}, nil
}

// Watch reloads on every change of the folder until ctx is done. It loads
// the first dictionary itself when none is loaded yet.
func (s *Store) Watch(ctx context.Context) error {
	if s.Current() == nil {
		s.reload("startup")
	}
	<-ctx.Done()
	return nil
}

// ErrorLines returns the messages of a load error, one "path:line: message"
// per problem.
func ErrorLines(err error) []string {
	if err == nil {
		return nil
	}
	return []string{err.Error()}
}
