package server

import (
	"io"
	"net"
	"strconv"
	"sync"
	"time"
)

// limitListener enforces Config.MaxConns and Config.MaxConnsPerIP itself,
// because fasthttp refuses excess connections with a text/plain answer and
// every answer of this service is JSON. A refused connection gets HTTP 503
// with a body that reads both as the callback error and as a REST error,
// then is closed.
type limitListener struct {
	net.Listener
	max, perIP int
	answer     []byte // the whole HTTP answer to a refused connection
	refused    func() // counts a refusal

	mu    sync.Mutex
	total int
	byIP  map[string]int
}

// overloadAnswer returns the whole HTTP answer to a refused connection
// with body: 503, read before the request is, so the body must do for a
// callback (the unavailable refusal) and for a REST client ("error").
func overloadAnswer(body []byte) []byte {
	return append([]byte("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: "+
		strconv.Itoa(len(body))+"\r\n\r\n"), body...)
}

func newLimitListener(ln net.Listener, max, perIP int, answer []byte, refused func()) *limitListener {
	return &limitListener{Listener: ln, max: max, perIP: perIP, answer: answer, refused: refused, byIP: map[string]int{}}
}

// Accept returns the next connection within the limits; connections over
// a limit are answered and closed in the background.
func (l *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		ip := connIP(c)
		if l.acquire(ip) {
			return &limitConn{Conn: c, l: l, ip: ip}, nil
		}
		l.refused()
		go reject(c, l.answer)
	}
}

func (l *limitListener) acquire(ip string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.max > 0 && l.total >= l.max {
		return false
	}
	if l.perIP > 0 && l.byIP[ip] >= l.perIP {
		return false
	}
	l.total++
	if l.perIP > 0 {
		l.byIP[ip]++
	}
	return true
}

func (l *limitListener) release(ip string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.total--
	if l.perIP > 0 {
		if l.byIP[ip]--; l.byIP[ip] <= 0 {
			delete(l.byIP, ip)
		}
	}
}

// reject answers a refused connection and closes it. It half-closes and
// drains what the client sent for a moment first, so that the client's
// request write does not turn the close into a reset that loses the answer.
func reject(c net.Conn, answer []byte) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(500 * time.Millisecond))
	if _, err := c.Write(answer); err != nil {
		return
	}
	if cw, ok := c.(interface{ CloseWrite() error }); ok {
		cw.CloseWrite()
	}
	io.Copy(io.Discard, io.LimitReader(c, 64<<10))
}

// connIP returns the client IP of c ("" when unknown).
func connIP(c net.Conn) string {
	if a, ok := c.RemoteAddr().(*net.TCPAddr); ok {
		return a.IP.String()
	}
	host, _, err := net.SplitHostPort(c.RemoteAddr().String())
	if err != nil {
		return c.RemoteAddr().String()
	}
	return host
}

// limitConn gives its slot back when closed (once).
type limitConn struct {
	net.Conn
	l    *limitListener
	ip   string
	once sync.Once
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.l.release(c.ip) })
	return err
}
