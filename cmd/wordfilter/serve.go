package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"

	"go.uber.org/zap"

	"github.com/wordfilter/wordfilter/server"
)

// serveConfig is what the serve flags hold.
type serveConfig struct {
	listen string
	dict   string
}

// envOr returns the environment variable key, or def when it is unset.
func envOr(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
}

func serveCmd(args []string, stderr io.Writer) int {
	var cfg serveConfig
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.listen, "listen", envOr("WORDFILTER_LISTEN", ":10006"), "address to serve on (env WORDFILTER_LISTEN)")
	fs.StringVar(&cfg.dict, "dict", envOr("WORDFILTER_DICT", ""), "dictionary folder; empty means the embedded default (env WORDFILTER_DICT)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	log, err := zap.NewProduction()
	if err != nil {
		fmt.Fprintf(stderr, "wordfilter: cannot start logger: %v\n", err)
		return 1
	}
	defer log.Sync()

	ln, err := net.Listen("tcp", cfg.listen)
	if err != nil {
		log.Error("cannot listen", zap.String("addr", cfg.listen), zap.Error(err))
		return 1
	}
	srv := server.New(server.Config{}, log)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	log.Info("serving", zap.String("addr", ln.Addr().String()), zap.String("version", version))

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	select {
	case s := <-sig:
		log.Info("shutting down", zap.String("signal", s.String()))
		if err := srv.Shutdown(); err != nil {
			log.Error("shutdown", zap.Error(err))
			return 1
		}
		return 0
	case err := <-done:
		log.Error("server stopped", zap.Error(err))
		return 1
	}
}
