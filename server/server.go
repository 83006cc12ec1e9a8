package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bytedance/sonic"
	"github.com/valyala/fasthttp"
	"go.uber.org/zap"

	"github.com/wordfilter/wordfilter/dict"
)

// Defaults of the Config fields.
const (
	DefaultBlockCode = 5001
	// DefaultUnavailableCode is the errCode of a refusal the service makes
	// because it cannot judge a callback (see Config.UnavailableCode).
	DefaultUnavailableCode = 5002
	DefaultMaxBodySize     = 1 << 20
	DefaultReadTimeout     = 5 * time.Second
	DefaultWriteTimeout    = 5 * time.Second
	DefaultIdleTimeout     = 60 * time.Second
	DefaultMaxConns        = 10000
)

// DefaultModifyContentTypes returns the content types OpenIM's released
// servers (v3.5 to v3.8.3-patch.16) send to the modify callback: Text (101)
// only. Each call returns a new slice.
func DefaultModifyContentTypes() []int32 { return []int32{101} }

// Config holds the server settings. The zero value of each field means its
// default.
type Config struct {
	// BlockCode is the errCode of a refusal (default 5001; must be ≥ 100,
	// see docs/openim.md, "How OpenIM reads the answer").
	BlockCode int
	// UnavailableCode is the errCode of the refusal answered when the
	// service cannot judge a callback: no dictionary loaded yet, too many
	// connections, a request outside CallbackPrefix, a body over
	// MaxBodySize, an internal error (default 5002; must be ≥ 100).
	UnavailableCode int
	// FailOpen makes those answers allow the callback instead (for
	// operators who prefer availability to never letting an unjudged
	// message through). They are counted by reason either way.
	FailOpen bool
	// CallbackPrefix, when set (e.g. "/secret"), makes the server answer
	// OpenIM callbacks only under that path prefix; a callback on another
	// path gets the unavailable refusal (HTTP 200, reason outside_prefix),
	// never a 404 that OpenIM would read as allow. Empty means callbacks
	// are answered under any path.
	CallbackPrefix string
	// AdminToken, when set, is the Bearer token POST /v1/dict/reload
	// requires; when empty the reload is answered for loopback clients only.
	AdminToken string
	// ModifyContentTypes lists the content types OpenIM sends to the modify
	// callback (default DefaultModifyContentTypes()). A before-send callback
	// refuses a message that needs masking when its type is not listed,
	// because nothing would mask it.
	ModifyContentTypes []int32
	// LogText adds the offending text to the log line of a refusal.
	LogText bool
	// RefusalLogRate is the most refusal log lines written per second
	// (0 means DefaultRefusalLogRate; negative: no limit). Lines over it
	// are counted in wordfilter_log_lines_dropped_total.
	RefusalLogRate int
	// MaxBodySize limits a request body in bytes (default 1 MiB).
	MaxBodySize int
	// ReadTimeout bounds reading one request (default 5s).
	ReadTimeout time.Duration
	// WriteTimeout bounds writing one response (default 5s).
	WriteTimeout time.Duration
	// IdleTimeout bounds a keep-alive connection's idle time (default 60s).
	IdleTimeout time.Duration
	// MaxConns limits the connections served at once (default 10000);
	// further connections are refused.
	MaxConns int
	// MaxConnsPerIP limits the connections of one client IP (0: no limit).
	MaxConnsPerIP int
}

// ConfigError is the error Validate returns: the Config field it refuses,
// the field's value and why, so that a caller can name the setting it
// filled the field from (a flag, an environment variable).
type ConfigError struct {
	// Field is the name of the Config field, e.g. "BlockCode".
	Field string
	// Value is the field's value as a setting would write it (strings
	// quoted).
	Value string
	// Reason says what the value must be.
	Reason string
}

// Error returns "server: Field Value: Reason".
func (e *ConfigError) Error() string {
	return "server: " + e.Field + " " + e.Value + ": " + e.Reason
}

// Validate reports the first invalid setting as a *ConfigError. A zero
// field is valid: it means the field's default.
func (c *Config) Validate() error {
	if err := validateCode("BlockCode", c.BlockCode); err != nil {
		return err
	}
	if err := validateCode("UnavailableCode", c.UnavailableCode); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		v    int64
	}{
		{"MaxBodySize", int64(c.MaxBodySize)},
		{"ReadTimeout", int64(c.ReadTimeout)},
		{"WriteTimeout", int64(c.WriteTimeout)},
		{"IdleTimeout", int64(c.IdleTimeout)},
		{"MaxConns", int64(c.MaxConns)},
		{"MaxConnsPerIP", int64(c.MaxConnsPerIP)},
	} {
		if f.v < 0 {
			return &ConfigError{Field: f.name, Value: strconv.FormatInt(f.v, 10), Reason: "must not be negative"}
		}
	}
	switch p := c.CallbackPrefix; {
	case p != "" && strings.Trim(p, "/") == "":
		return &ConfigError{Field: "CallbackPrefix", Value: strconv.Quote(p), Reason: "names no path"}
	case strings.ContainsAny(p, "?# "):
		return &ConfigError{Field: "CallbackPrefix", Value: strconv.Quote(p), Reason: "must be a plain path (no ?, # or space)"}
	}
	return nil
}

// validateCode checks an errCode setting; 0 means its default.
func validateCode(field string, code int) error {
	switch {
	case code == 0:
		return nil
	case code < 100:
		return &ConfigError{Field: field, Value: strconv.Itoa(code),
			Reason: "must be >= 100 (OpenIM turns smaller codes into 500 or drops the error)"}
	case code > math.MaxInt32:
		return &ConfigError{Field: field, Value: strconv.Itoa(code),
			Reason: fmt.Sprintf("must fit OpenIM's int32 errCode (at most %d)", math.MaxInt32)}
	}
	return nil
}

// SetDefaults replaces every zero field by its default and writes a
// CallbackPrefix as "/path" (one leading slash, no trailing one), as New
// does with its copy.
func (c *Config) SetDefaults() {
	orDefault(&c.BlockCode, DefaultBlockCode)
	orDefault(&c.UnavailableCode, DefaultUnavailableCode)
	orDefault(&c.RefusalLogRate, DefaultRefusalLogRate)
	orDefault(&c.MaxBodySize, DefaultMaxBodySize)
	orDefault(&c.ReadTimeout, DefaultReadTimeout)
	orDefault(&c.WriteTimeout, DefaultWriteTimeout)
	orDefault(&c.IdleTimeout, DefaultIdleTimeout)
	orDefault(&c.MaxConns, DefaultMaxConns)
	if c.ModifyContentTypes == nil {
		c.ModifyContentTypes = DefaultModifyContentTypes()
	}
	if c.CallbackPrefix != "" {
		c.CallbackPrefix = "/" + strings.Trim(c.CallbackPrefix, "/")
	}
}

// orDefault sets *v to def when it is zero.
func orDefault[T comparable](v *T, def T) {
	var zero T
	if *v == zero {
		*v = def
	}
}

// Source gives the server its dictionaries. *dict.Store implements it.
type Source interface {
	// Current returns the dictionary in use, or nil before the first load.
	Current() *dict.Dictionary
	// Reload loads the dictionary folder now (POST /v1/dict/reload).
	Reload() (*dict.Dictionary, error)
	// LastError returns the error of the last refused reload, or "".
	LastError() string
}

// Server is the HTTP front of wordfilter: OpenIM callbacks, the REST API
// and the operations endpoints. Create it with New; it is safe for
// concurrent use.
type Server struct {
	cfg        Config
	src        Source
	log        *zap.Logger
	srv        *fasthttp.Server
	met        *serverMetrics
	draining   atomic.Bool
	calls      sync.Pool // *call
	handlers   map[string]callbackHandler
	modify     map[int32]bool // content types the modify callback sees
	json       sonic.API      // request decoder
	prefix     []byte         // cfg.CallbackPrefix
	refusalLog *zap.Logger    // log with the refusal lines' rate limit
	// chunkedREST holds the headers (&ctx.Request.Header) of chunked
	// requests to a REST path whose body is being read: fasthttp resets a
	// request whose body it could not read, path included, so that the
	// ErrorHandler would not know a REST client from OpenIM.
	chunkedREST sync.Map // *fasthttp.RequestHeader → struct{}
	// reloadFailing is set while the last reload attempt was refused, so
	// that the attempt which clears the error is logged too.
	reloadFailing atomic.Bool
	// console serves /ui/; recentReloads keeps the last reloads it shows.
	console       *console
	recentReloads reloadRing
}

// New returns a Server answering from the dictionaries of src and logging
// to log. It reports an invalid cfg.
func New(cfg Config, src Source, log *zap.Logger) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if src == nil {
		return nil, errors.New("server: nil dictionary source")
	}
	if log == nil {
		log = zap.NewNop()
	}
	cfg.SetDefaults()
	s := &Server{cfg: cfg, src: src, log: log, handlers: callbackHandlers(), modify: map[int32]bool{},
		json: sonic.Config{CaseSensitive: true}.Froze()}
	s.prefix = []byte(cfg.CallbackPrefix)
	s.console = newConsole()
	for _, t := range cfg.ModifyContentTypes {
		s.modify[t] = true
	}
	s.met = newServerMetrics(src)
	s.refusalLog = refusalLogger(log, cfg.RefusalLogRate, s.met.logDropped.Inc)
	s.calls.New = func() any { return &call{s: s} }
	s.srv = &fasthttp.Server{
		Handler:                      s.Handler,
		ErrorHandler:                 s.handleReadError,
		ExpectHandler:                s.expect,
		HeaderReceived:               s.headerReceived,
		Name:                         "wordfilter",
		NoDefaultServerHeader:        true,
		NoDefaultDate:                true,
		DisablePreParseMultipartForm: true,
		CloseOnShutdown:              true,
		ReadTimeout:                  cfg.ReadTimeout,
		WriteTimeout:                 cfg.WriteTimeout,
		IdleTimeout:                  cfg.IdleTimeout,
		// The limitListener of Serve enforces MaxConns and MaxConnsPerIP
		// with JSON answers; fasthttp's own limit is only a backstop.
		Concurrency:        2 * cfg.MaxConns,
		MaxRequestBodySize: cfg.MaxBodySize,
		Logger:             zapPrintf{log},
	}
	return s, nil
}

// zapPrintf adapts zap to fasthttp.Logger (connection-level errors).
type zapPrintf struct{ log *zap.Logger }

func (z zapPrintf) Printf(format string, args ...any) {
	z.log.Debug("fasthttp", zap.String("msg", fmt.Sprintf(format, args...)))
}

// Serve answers requests on ln until Shutdown is called; it then returns
// nil. Connections beyond Config.MaxConns (or MaxConnsPerIP) are answered
// 503 with a JSON body and closed.
func (s *Server) Serve(ln net.Listener) error {
	answer := overloadAnswer(unavailableBody(s.cfg.UnavailableCode, s.cfg.FailOpen, "too many connections"))
	return s.srv.Serve(newLimitListener(ln, s.cfg.MaxConns, s.cfg.MaxConnsPerIP, answer, func() {
		s.met.refusedConns.Inc()
		s.met.unavailable[reasonOverload].Inc()
	}))
}

// SetDraining marks the server not ready (/readyz answers 503) without
// closing anything, so that load balancers stop sending before Shutdown.
func (s *Server) SetDraining() { s.draining.Store(true) }

// Shutdown marks the server not ready, closes the listeners and waits for
// in-flight requests to finish, or for ctx to be done.
func (s *Server) Shutdown(ctx context.Context) error {
	s.draining.Store(true)
	return s.srv.ShutdownWithContext(ctx)
}

// Ready reports whether a dictionary is loaded and the server is not
// draining: what /readyz answers.
func (s *Server) Ready() bool { return !s.draining.Load() && s.src.Current() != nil }

// Handler answers one request; Serve uses it. It never panics: a panic in
// a handler is logged and answered with a JSON error.
func (s *Server) Handler(ctx *fasthttp.RequestCtx) {
	start := time.Now()
	s.met.clock.observe(start)
	defer s.recoverPanic(ctx)
	if ctx.Request.Header.ContentLength() <= 0 {
		// A chunked body was read (an empty one sets Content-Length 0).
		s.chunkedREST.Delete(&ctx.Request.Header)
	}
	ctx.SetContentType("application/json")
	path := ctx.Path()
	switch string(path) {
	case "/healthz":
		if !ctx.IsGet() && !ctx.IsHead() {
			s.restError(ctx, fasthttp.StatusMethodNotAllowed, "use GET")
			return
		}
		ctx.SetBodyString(`{"status":"ok"}`)
	case "/readyz":
		s.readyz(ctx)
	case "/metrics":
		s.metrics(ctx)
	case "/v1/filter":
		s.filterREST(ctx, start)
	case "/v1/dict":
		s.dictInfo(ctx)
	case "/v1/dict/reload":
		s.dictReload(ctx)
	case "/v1/console/reloads":
		s.consoleReloads(ctx)
	case "/v1/console/traffic":
		s.consoleTraffic(ctx)
	default:
		if isConsolePath(path) {
			s.serveConsole(ctx, path)
			return
		}
		if bytes.HasPrefix(path, restPrefix) {
			// The REST namespace: never a callback answer, which OpenIM
			// or a REST client could read as allow.
			s.restError(ctx, fasthttp.StatusNotFound, "no such endpoint")
			return
		}
		s.callback(ctx, path, start)
	}
}

func (s *Server) recoverPanic(ctx *fasthttp.RequestCtx) {
	p := recover()
	if p == nil {
		return
	}
	s.log.Error("panic while answering a request",
		zap.String("path", string(ctx.Path())), zap.Any("panic", p), zap.Stack("stack"))
	ctx.ResetBody()
	ctx.SetContentType("application/json")
	if s.isREST(ctx.Path()) {
		s.restError(ctx, fasthttp.StatusInternalServerError, "internal error")
		return
	}
	s.unavailable(ctx, fasthttp.StatusOK, reasonInternal, "internal error")
}

// restPrefix starts every REST path; no callback is answered under it.
var restPrefix = []byte("/v1/")

// isREST reports whether path is one of the operations routes or under the
// REST namespace /v1/.
func (s *Server) isREST(path []byte) bool {
	switch string(path) {
	case "/healthz", "/readyz", "/metrics":
		return true
	}
	return bytes.HasPrefix(path, restPrefix)
}

// handleReadError answers requests fasthttp could not read (body over the
// limit, malformed request line, ...), with JSON like every other answer.
// The message names the kind of error only: fasthttp's own texts quote
// the bytes they could not parse.
func (s *Server) handleReadError(ctx *fasthttp.RequestCtx, err error) {
	s.met.readErrors.Inc()
	ctx.SetContentType("application/json")
	if errors.Is(err, fasthttp.ErrBodyTooLarge) {
		s.log.Debug("request body too large", zap.Int("contentLength", ctx.Request.Header.ContentLength()))
		s.bodyTooLarge(ctx)
		return
	}
	s.log.Debug("bad request", zap.Error(err))
	_, chunkedREST := s.chunkedREST.LoadAndDelete(&ctx.Request.Header)
	msg := "cannot read request"
	var timeout interface{ Timeout() bool }
	switch {
	case errors.As(err, &timeout) && timeout.Timeout():
		msg = "timeout reading the request"
	case errors.As(err, new(fasthttp.ErrBrokenChunk)):
		msg = "malformed chunked body"
	}
	if chunkedREST || s.isREST(ctx.Request.URI().Path()) {
		s.restError(ctx, fasthttp.StatusBadRequest, msg)
		return
	}
	s.unavailable(ctx, fasthttp.StatusBadRequest, reasonBadRequest, msg)
}

// bodyTooLarge answers a request whose body is over Config.MaxBodySize
// with 413: a REST error, or on a callback path the refusal of a callback
// the service cannot judge. A request whose body fasthttp began to read
// (chunked) has lost its path, and is known as REST by chunkedREST. The
// answer comes before the body was read, so the connection lingers
// before it is closed (see linger).
func (s *Server) bodyTooLarge(ctx *fasthttp.RequestCtx) {
	lingerOnClose(ctx.Conn())
	msg := "request body larger than " + strconv.Itoa(s.cfg.MaxBodySize) + " bytes"
	_, chunkedREST := s.chunkedREST.LoadAndDelete(&ctx.Request.Header)
	if chunkedREST || len(ctx.Request.Header.RequestURI()) > 0 && s.isREST(ctx.Request.URI().Path()) {
		s.restError(ctx, fasthttp.StatusRequestEntityTooLarge, msg)
		return
	}
	s.unavailable(ctx, fasthttp.StatusRequestEntityTooLarge, reasonBodyTooLarge, msg)
}

// headerReceived notes a chunked request to a REST path in chunkedREST,
// before fasthttp reads its body. Other requests cost one comparison.
func (s *Server) headerReceived(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
	if h.ContentLength() == -1 {
		var u fasthttp.URI
		if u.Parse(h.Host(), h.RequestURI()) == nil && s.isREST(u.Path()) {
			s.chunkedREST.Store(h, struct{}{})
		}
	}
	return fasthttp.RequestConfig{}
}

// expect answers "Expect: 100-continue": a Content-Length over
// Config.MaxBodySize gets its 413 at once, instead of a 100 Continue that
// asks for a body only to refuse it. fasthttp (v1.78) writes the answer
// left in ctx when the expectation is refused, though its documentation
// asks not to touch it; TestExpectContinueOverLimitIsRefusedFirst checks
// that the answer is still the JSON one.
func (s *Server) expect(ctx *fasthttp.RequestCtx) int {
	if ctx.Request.Header.ContentLength() > s.cfg.MaxBodySize {
		s.met.readErrors.Inc()
		ctx.SetContentType("application/json")
		s.bodyTooLarge(ctx)
		return fasthttp.StatusRequestEntityTooLarge
	}
	return fasthttp.StatusContinue
}

// restError answers a REST request with {"error":msg}. It is the one place
// REST errors get their status.
func (s *Server) restError(ctx *fasthttp.RequestCtx, status int, msg string) {
	var o jsonObject
	o.open()
	o.str("error", msg)
	o.close()
	ctx.SetStatusCode(status)
	ctx.SetBody(o.b)
}

// callbackError answers a callback that could not be understood, with the
// callback error JSON {"actionCode":1,...} with errCode = the HTTP status
// (docs/openim.md, "What wordfilter answers").
func (s *Server) callbackError(ctx *fasthttp.RequestCtx, status int, msg string) {
	var o jsonObject
	o.open()
	o.int("actionCode", 1)
	o.int("errCode", int64(status))
	o.str("errMsg", msg)
	o.str("errDlt", "")
	o.int("nextCode", 0)
	o.close()
	ctx.SetStatusCode(status)
	ctx.SetBody(o.b)
}

func (s *Server) readyz(ctx *fasthttp.RequestCtx) {
	switch {
	case s.draining.Load():
		s.restError(ctx, fasthttp.StatusServiceUnavailable, "shutting down")
	case s.src.Current() == nil:
		s.restError(ctx, fasthttp.StatusServiceUnavailable, "no dictionary loaded yet")
	default:
		ctx.SetBodyString(`{"status":"ready"}`)
	}
}

// ObserveReload logs and counts one reload attempt of the dictionary store;
// pass it as dict.Config.OnReload. It logs one line per reload that changed
// the dictionary or failed (unchanged polls are logged at debug level) and
// counts them in wordfilter_dictionary_reloads_total and
// wordfilter_dictionary_reload_errors_total.
func (s *Server) ObserveReload(ev dict.ReloadEvent) {
	fields := []zap.Field{zap.String("trigger", ev.Trigger), zap.Duration("duration", ev.Duration)}
	if ev.Paused > 0 {
		// How much of duration the reload slept to leave the CPU to requests.
		fields = append(fields, zap.Duration("paused", ev.Paused))
	}
	if ev.Dict != nil {
		fields = append(fields, zap.String("version", ev.Dict.Version), zap.Int("words", ev.Dict.Matcher.Len()),
			zap.Int("allow", ev.Dict.Matcher.AllowLen()), zap.String("source", ev.Dict.Source))
	}
	wasFailing := s.reloadFailing.Swap(ev.Err != nil)
	s.recentReloads.observe(ev, wasFailing)
	if ev.Err != nil {
		s.met.reloadErrors.Inc()
		fields = append(fields, zap.Strings("errors", dict.ErrorLines(ev.Err)))
		if ev.Dict != nil {
			s.log.Error("dictionary reload refused; keeping the dictionary in use", fields...)
		} else {
			s.log.Error("dictionary load failed; no dictionary in use", fields...)
		}
		return
	}
	if ev.Changed {
		s.met.reloads.Inc()
		if ev.Dict != nil && len(ev.Dict.Warnings) > 0 {
			// Words of one letter or character match inside many texts:
			// say so once a load, the details are validate's.
			fields = append(fields, zap.Int("overBlockingWords", len(ev.Dict.Warnings)))
		}
		s.log.Info("dictionary loaded", fields...)
		return
	}
	if wasFailing {
		s.log.Info("dictionary folder readable again; the dictionary in use is unchanged", fields...)
		return
	}
	if ev.Trigger == dict.TriggerSignal || ev.Trigger == dict.TriggerAPI {
		// A reload the operator asked for gets its line even when the
		// folder had not changed, so that they can see it happened.
		s.log.Info("dictionary reload requested; content unchanged", fields...)
		return
	}
	s.log.Debug("dictionary unchanged", fields...)
}
