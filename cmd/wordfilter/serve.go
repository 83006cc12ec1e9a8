package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/wordfilter/wordfilter/dict"
	"github.com/wordfilter/wordfilter/server"
)

// serveConfig is what the serve flags and environment variables hold.
type serveConfig struct {
	listen          string
	dict            dict.Config
	server          server.Config
	logLevel        zapcore.Level
	logFormat       string
	drainDelay      time.Duration
	shutdownTimeout time.Duration
}

// envPrefix starts the environment variable of every serve flag: -block-code
// is read from WORDFILTER_BLOCK_CODE.
const envPrefix = "WORDFILTER_"

// envName returns the environment variable of a flag.
func envName(flagName string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// maskFlag is the -mask value: exactly one character.
type maskFlag struct{ r *rune }

func (m maskFlag) String() string {
	if m.r == nil || *m.r == 0 {
		return "*"
	}
	return string(*m.r)
}

func (m maskFlag) Set(s string) error {
	r, err := parseMask(s)
	if err != nil {
		return err
	}
	*m.r = r
	return nil
}

// typesFlag is the -modify-types value: content types and ranges.
type typesFlag struct{ v *[]int32 }

func (t typesFlag) String() string {
	if t.v == nil {
		return ""
	}
	parts := make([]string, len(*t.v))
	for i, n := range *t.v {
		parts[i] = strconv.Itoa(int(n))
	}
	return strings.Join(parts, ",")
}

func (t typesFlag) Set(s string) error {
	out := []int32{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.ParseInt(strings.TrimSpace(lo), 10, 32)
		if err != nil {
			return fmt.Errorf("bad content type %q", part)
		}
		b := a
		if isRange {
			if b, err = strconv.ParseInt(strings.TrimSpace(hi), 10, 32); err != nil || b < a || b-a > 10000 {
				return fmt.Errorf("bad content type range %q", part)
			}
		}
		for n := a; n <= b; n++ {
			out = append(out, int32(n))
		}
	}
	*t.v = out
	return nil
}

// levelFlag is the -log-level value.
type levelFlag struct{ l *zapcore.Level }

func (l levelFlag) String() string {
	if l.l == nil {
		return "info"
	}
	return l.l.String()
}

func (l levelFlag) Set(s string) error { return l.l.UnmarshalText([]byte(s)) }

// newServeFlags defines the serve flags on a new FlagSet filling cfg.
func newServeFlags(cfg *serveConfig) *flag.FlagSet {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	cfg.listen = ":10006"
	cfg.server.BlockCode = server.DefaultBlockCode
	cfg.server.UnavailableCode = server.DefaultUnavailableCode
	cfg.server.ModifyContentTypes = server.DefaultModifyContentTypes()
	cfg.logFormat = "json"
	cfg.logLevel = zapcore.InfoLevel
	env := func(name, usage string) string { return usage + " (env " + envName(name) + ")" }

	fs.StringVar(&cfg.listen, "listen", cfg.listen, env("listen", "address to serve on; 10006 is the port of OpenIM's default webhooks.yml url"))
	fs.StringVar(&cfg.dict.Dir, "dict", "", env("dict", "dictionary folder; empty means the embedded default dictionary"))
	fs.StringVar(&cfg.server.AdminToken, "admin-token", "", env("admin-token", "when set, POST /v1/dict/reload requires 'Authorization: Bearer <token>'; when empty it is answered for loopback clients only"))
	fs.IntVar(&cfg.server.BlockCode, "block-code", cfg.server.BlockCode, env("block-code", "errCode returned to OpenIM when a message is refused (must be >= 100)"))
	fs.BoolVar(&cfg.server.FailOpen, "fail-open", false, env("fail-open", "what OpenIM is told when the service cannot judge a callback (no dictionary, too many connections, a request outside -callback-prefix, a body over -max-body, an internal error): a refusal with errCode -unavailable-code, or with -fail-open an allow. Either way it is counted in wordfilter_unavailable_total{reason}"))
	fs.IntVar(&cfg.server.UnavailableCode, "unavailable-code", cfg.server.UnavailableCode, env("unavailable-code", "errCode of the refusal answered when the service cannot judge a callback (see -fail-open; must be >= 100)"))
	fs.Var(maskFlag{&cfg.dict.Options.Mask}, "mask", env("mask", "the `character` that replaces each masked character; default *"))
	fs.StringVar(&cfg.server.CallbackPrefix, "callback-prefix", "", env("callback-prefix", "when set (e.g. /some-secret), OpenIM callbacks are answered only under this path prefix; a callback elsewhere gets the -unavailable-code refusal (or with -fail-open an allow); put the same prefix in OpenIM's webhooks.yml url"))
	fs.Var(typesFlag{&cfg.server.ModifyContentTypes}, "modify-types", env("modify-types", "content `types` OpenIM sends to the modify callback (comma list, ranges allowed, e.g. 101,105-110); the before-send callbacks refuse a message needing masking in any other type. OpenIM releases up to 3.8.3 send Text only"))
	fs.DurationVar(&cfg.dict.PollInterval, "poll-interval", 2*time.Second, env("poll-interval", "how often the dictionary folder is re-read and hashed, besides file-change events (negative disables polling)"))
	fs.Float64Var(&cfg.dict.ReloadCPU, "reload-cpu", dict.DefaultReloadCPU, env("reload-cpu", "most of one CPU a dictionary reload may take while requests are served (0 < x <= 1): it works in 200µs slices and sleeps between them, and takes less (down to a quarter) while requests keep the CPUs busy; after 1s of pacing it finishes at full speed, so changes still apply within 2s; 1 means no pacing. The first load is never paced"))
	fs.BoolVar(&cfg.server.LogText, "log-text", false, env("log-text", "include the offending text in the log line of a refused message"))
	fs.IntVar(&cfg.server.RefusalLogRate, "refusal-log-rate", server.DefaultRefusalLogRate, env("refusal-log-rate", "most refusal log lines written per second; the rest are counted in wordfilter_log_lines_dropped_total (negative: no limit)"))
	fs.Var(levelFlag{&cfg.logLevel}, "log-level", env("log-level", "log `level`: debug, info, warn or error; default info"))
	fs.StringVar(&cfg.logFormat, "log-format", cfg.logFormat, env("log-format", "log format: json or console"))
	fs.IntVar(&cfg.server.MaxBodySize, "max-body", server.DefaultMaxBodySize, env("max-body", "request body size limit in bytes"))
	fs.DurationVar(&cfg.server.ReadTimeout, "read-timeout", server.DefaultReadTimeout, env("read-timeout", "time limit for reading one request"))
	fs.DurationVar(&cfg.server.WriteTimeout, "write-timeout", server.DefaultWriteTimeout, env("write-timeout", "time limit for writing one response"))
	fs.DurationVar(&cfg.server.IdleTimeout, "idle-timeout", server.DefaultIdleTimeout, env("idle-timeout", "how long an idle keep-alive connection is kept"))
	fs.IntVar(&cfg.server.MaxConns, "max-conns", server.DefaultMaxConns, env("max-conns", "maximum number of connections served at once"))
	fs.IntVar(&cfg.server.MaxConnsPerIP, "max-conns-per-ip", 0, env("max-conns-per-ip", "maximum connections from one client IP (0: no limit)"))
	fs.DurationVar(&cfg.drainDelay, "drain-delay", 0, env("drain-delay", "on SIGTERM, how long /readyz answers 503 before the listener closes (lets load balancers stop sending)"))
	fs.DurationVar(&cfg.shutdownTimeout, "shutdown-timeout", 15*time.Second, env("shutdown-timeout", "how long in-flight requests may take to finish after the listener closes"))
	return fs
}

// parseServeFlags parses args, then fills every flag not given on the
// command line from its environment variable (looked up with getenv).
func parseServeFlags(args []string, getenv func(string) (string, bool), stderr io.Writer) (serveConfig, error) {
	var cfg serveConfig
	fs := newServeFlags(&cfg)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: wordfilter serve [flags]\n\nRuns the filter service until SIGINT or SIGTERM; SIGHUP reloads the dictionary.\nEvery flag can also be set by the environment variable shown; the flag wins.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var envErr error
	fromEnv := map[string]bool{}
	fs.VisitAll(func(f *flag.Flag) {
		if given[f.Name] || envErr != nil {
			return
		}
		if v, ok := getenv(envName(f.Name)); ok {
			fromEnv[f.Name] = true
			if err := fs.Set(f.Name, v); err != nil {
				envErr = fmt.Errorf("invalid value %q for %s: %v", v, envName(f.Name), err)
			}
		}
	})
	if envErr != nil {
		return cfg, envErr
	}
	// origin names where a setting came from, for error messages.
	origin := func(name string) string {
		if fromEnv[name] {
			return envName(name)
		}
		return "-" + name
	}
	// server.Config reads a zero code as "the default"; on the command line
	// 0 is a value given, and not an errCode (server.Config.Validate checks
	// the rest of each code's range).
	for _, c := range []struct {
		flag string
		code int
	}{{"block-code", cfg.server.BlockCode}, {"unavailable-code", cfg.server.UnavailableCode}} {
		if c.code == 0 {
			return cfg, fmt.Errorf("%s 0: must be >= 100 (0 is no errCode)", origin(c.flag))
		}
	}
	if cfg.logFormat != "json" && cfg.logFormat != "console" {
		return cfg, fmt.Errorf("%s %q: want json or console", origin("log-format"), cfg.logFormat)
	}
	if !(cfg.dict.ReloadCPU > 0 && cfg.dict.ReloadCPU <= 1) { // also refuses NaN
		return cfg, fmt.Errorf("%s %g: must be above 0 and at most 1 (a share of one CPU)", origin("reload-cpu"), cfg.dict.ReloadCPU)
	}
	if cfg.server.MaxBodySize <= 0 {
		return cfg, fmt.Errorf("%s %d: must be positive", origin("max-body"), cfg.server.MaxBodySize)
	}
	if cfg.server.MaxConns <= 0 {
		return cfg, fmt.Errorf("%s %d: must be positive", origin("max-conns"), cfg.server.MaxConns)
	}
	if cfg.server.ReadTimeout <= 0 || cfg.server.WriteTimeout <= 0 || cfg.server.IdleTimeout <= 0 {
		return cfg, errors.New("-read-timeout, -write-timeout and -idle-timeout must be positive")
	}
	if cfg.drainDelay < 0 || cfg.shutdownTimeout <= 0 {
		return cfg, errors.New("-drain-delay must not be negative and -shutdown-timeout must be positive")
	}
	if err := cfg.server.Validate(); err != nil {
		var ce *server.ConfigError
		if errors.As(err, &ce) && serverFlag(ce.Field) != "" {
			return cfg, fmt.Errorf("%s %s: %s", origin(serverFlag(ce.Field)), ce.Value, ce.Reason)
		}
		return cfg, err
	}
	cfg.server.SetDefaults() // the prefix as the server reads it, for the log
	return cfg, nil
}

// serverFlag names the serve flag of a server.Config field, so that an
// error of server.Config.Validate names the flag or the environment
// variable it came from; "" for a field no flag sets.
func serverFlag(field string) string {
	switch field {
	case "BlockCode":
		return "block-code"
	case "UnavailableCode":
		return "unavailable-code"
	case "CallbackPrefix":
		return "callback-prefix"
	case "MaxBodySize":
		return "max-body"
	case "ReadTimeout":
		return "read-timeout"
	case "WriteTimeout":
		return "write-timeout"
	case "IdleTimeout":
		return "idle-timeout"
	case "MaxConns":
		return "max-conns"
	case "MaxConnsPerIP":
		return "max-conns-per-ip"
	}
	return ""
}

// newLogger builds the zap logger of the serve command.
func newLogger(cfg serveConfig) (*zap.Logger, error) {
	zc := zap.NewProductionConfig()
	if cfg.logFormat == "console" {
		zc = zap.NewDevelopmentConfig()
	}
	zc.Level = zap.NewAtomicLevelAt(cfg.logLevel)
	zc.Sampling = nil
	zc.DisableStacktrace = true // an error line is one line; the message says what went wrong
	zc.EncoderConfig.TimeKey = "ts"
	zc.EncoderConfig.EncodeTime = zapcore.ISO8601TimeEncoder
	return zc.Build()
}

// serveCmd implements "wordfilter serve": it loads the dictionary, and
// only then listens, until SIGINT or SIGTERM. A dictionary refused at
// start is printed as "path:line: message" lines on stderr and exits 1
// without listening; bad flags exit 2.
func serveCmd(args []string, stderr io.Writer) int {
	cfg, err := parseServeFlags(args, os.LookupEnv, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "wordfilter serve: %v\n", err)
		return 2
	}
	log, err := newLogger(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "wordfilter serve: cannot start logger: %v\n", err)
		return 1
	}
	defer log.Sync()

	// Signals first, so that none is lost while the dictionary loads.
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(stop)
	defer signal.Stop(hup)

	var srv *server.Server
	cfg.dict.OnReload = func(ev dict.ReloadEvent) { srv.ObserveReload(ev) }
	store := dict.NewStore(cfg.dict)
	srv, err = server.New(cfg.server, store, log)
	if err != nil {
		fmt.Fprintf(stderr, "wordfilter serve: %v\n", err)
		return 2
	}

	// The dictionary first: a service that cannot judge must not listen.
	// The load runs aside so that a signal still stops the process.
	log.Info("loading the dictionary", zap.String("dict", orEmbedded(cfg.dict.Dir)))
	loaded := make(chan error, 1)
	go func() {
		_, err := store.ReloadFrom(dict.TriggerStartup)
		loaded <- err
	}()
	select {
	case err := <-loaded:
		if err != nil {
			// The load's log line (OnReload) has the errors too.
			fmt.Fprintf(stderr, "wordfilter serve: the dictionary %s is refused; not serving:\n", orEmbedded(cfg.dict.Dir))
			printLoadErrors(stderr, err)
			return 1
		}
	case s := <-stop:
		log.Info("stopped before the dictionary was loaded", zap.String("signal", s.String()))
		return 0
	}

	ln, err := net.Listen("tcp", cfg.listen)
	if err != nil {
		log.Error("cannot listen", zap.String("addr", cfg.listen), zap.Error(err))
		return 1
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Info("serving", zap.String("addr", ln.Addr().String()), zap.String("version", version),
		zap.String("dict", orEmbedded(cfg.dict.Dir)), zap.String("dictVersion", store.Current().Version),
		zap.String("callbackPrefix", cfg.server.CallbackPrefix))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	watched := make(chan error, 1)
	go func() { watched <- store.Watch(ctx) }()

	for {
		select {
		case <-hup:
			go store.ReloadFrom("signal")
		case err := <-watched:
			if err != nil && ctx.Err() == nil {
				log.Error("cannot watch the dictionary folder", zap.String("dict", cfg.dict.Dir), zap.Error(err))
				shutdown(srv, log, cfg)
				return 1
			}
			watched = nil
		case err := <-served:
			log.Error("server stopped", zap.Error(err))
			return 1
		case s := <-stop:
			log.Info("shutting down", zap.String("signal", s.String()), zap.Duration("drainDelay", cfg.drainDelay))
			cancel()
			if !shutdown(srv, log, cfg) {
				return 1
			}
			return 0
		}
	}
}

// shutdown drains srv: readiness 503 for the drain delay, then the
// listener closes and in-flight requests finish. It reports success.
func shutdown(srv *server.Server, log *zap.Logger, cfg serveConfig) bool {
	srv.SetDraining()
	time.Sleep(cfg.drainDelay)
	ctx, cancel := context.WithTimeout(context.Background(), cfg.shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		log.Error("shutdown did not finish cleanly", zap.Error(err))
		return false
	}
	log.Info("stopped")
	return true
}

func orEmbedded(dir string) string {
	if dir == "" {
		return "embedded"
	}
	return dir
}

// Compile-time check that the dictionary store is a server.Source.
var _ server.Source = (*dict.Store)(nil)
