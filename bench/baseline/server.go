package baseline

import (
	"encoding/json"
	"fmt"
	"net"
)

// AllowJSON is the OpenIM answer that lets an operation through.
const AllowJSON = `{"actionCode":0,"errCode":0,"errMsg":"","errDlt":"","nextCode":0}`

// Server is a running baseline server.
type Server struct {
	// Addr is the "host:port" the server listens on.
	Addr  string
	close func() error
}

// Close stops the server and waits for its listener to close.
func (s *Server) Close() error { return s.close() }

// serve runs serveFn(ln) in the background and returns the Server whose
// Close calls shutdown and waits for serveFn to return.
func serve(ln net.Listener, serveFn func(net.Listener) error, shutdown func() error) *Server {
	done := make(chan error, 1)
	go func() { done <- serveFn(ln) }()
	return &Server{Addr: ln.Addr().String(), close: func() error {
		err := shutdown()
		<-done
		return err
	}}
}

// listenLoopback listens on addr, which must be a loopback address.
func listenLoopback(addr string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("baseline: listen address %q is not host:port: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("baseline: listen address %q is not loopback: the baselines have no protection and listen on 127.0.0.1 or ::1 only", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("baseline: cannot listen on %q: %w", addr, err)
	}
	return ln, nil
}

// badJSON returns the OpenIM-shaped answer to an undecodable body.
func badJSON(err error) []byte {
	msg, _ := json.Marshal("bad request body: " + err.Error()) // a string always encodes
	return fmt.Appendf(nil, `{"actionCode":1,"errCode":400,"errMsg":%s,"errDlt":"","nextCode":0}`, msg)
}
