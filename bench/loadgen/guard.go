package loadgen

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// CheckLoopback returns the "host:port" address of target when it names a
// loopback address, and an error otherwise. target is "host:port" or an
// http:// URL; host must be a loopback IP (127.0.0.0/8, ::1) or the literal
// name "localhost" (never resolved, so DNS cannot redirect the load).
func CheckLoopback(target string) (string, error) {
	addr := target
	if strings.Contains(target, "://") {
		u, err := url.Parse(target)
		if err != nil {
			return "", fmt.Errorf("loadgen: cannot parse target %q: %w", target, err)
		}
		if u.Scheme != "http" {
			return "", fmt.Errorf("loadgen: target %q: only http:// is supported", target)
		}
		addr = u.Host
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("loadgen: target %q is not host:port: %w", target, err)
	}
	if port == "" || port == "0" {
		return "", fmt.Errorf("loadgen: target %q has no port", target)
	}
	if host == "localhost" {
		return net.JoinHostPort("127.0.0.1", port), nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return "", fmt.Errorf("loadgen: target %q is not a loopback address: the load generator only loads 127.0.0.1, ::1 or localhost", target)
	}
	return net.JoinHostPort(ip.String(), port), nil
}
