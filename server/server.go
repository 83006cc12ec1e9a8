// Package server answers OpenIM's webhook callbacks, the REST filtering API
// and the operations endpoints over fasthttp.
package server

import (
	"net"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"
	"go.uber.org/zap"
)

// Config holds the server settings; the zero value of each field means its
// default.
type Config struct {
	// ReadTimeout bounds reading one request (default 5s).
	ReadTimeout time.Duration
	// WriteTimeout bounds writing one response (default 5s).
	WriteTimeout time.Duration
	// IdleTimeout bounds a keep-alive connection's idle time (default 60s).
	IdleTimeout time.Duration
}

// Server is the HTTP front of wordfilter. Create it with New.
type Server struct {
	cfg      Config
	log      *zap.Logger
	srv      *fasthttp.Server
	draining atomic.Bool
}

// New returns a Server that logs to log.
func New(cfg Config, log *zap.Logger) *Server {
	if cfg.ReadTimeout == 0 {
		cfg.ReadTimeout = 5 * time.Second
	}
	if cfg.WriteTimeout == 0 {
		cfg.WriteTimeout = 5 * time.Second
	}
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = 60 * time.Second
	}
	s := &Server{cfg: cfg, log: log}
	s.srv = &fasthttp.Server{
		Handler:      s.handle,
		Name:         "wordfilter",
		ReadTimeout:  cfg.ReadTimeout,
		WriteTimeout: cfg.WriteTimeout,
		IdleTimeout:  cfg.IdleTimeout,
	}
	return s
}

// Serve answers requests on ln until Shutdown is called.
func (s *Server) Serve(ln net.Listener) error { return s.srv.Serve(ln) }

// Shutdown marks the server not ready, closes the listener and waits for
// in-flight requests to finish.
func (s *Server) Shutdown() error {
	s.draining.Store(true)
	return s.srv.Shutdown()
}

func (s *Server) handle(ctx *fasthttp.RequestCtx) {
	ctx.SetContentType("application/json")
	switch string(ctx.Path()) {
	case "/healthz":
		ctx.SetBodyString(`{"status":"ok"}`)
	default:
		ctx.SetStatusCode(fasthttp.StatusNotFound)
		ctx.SetBodyString(`{"error":"not found"}`)
	}
}
