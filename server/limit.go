package server

import (
	"io"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
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

// Bounds of the linger before closing a connection the client may still
// be writing to: a refused connection's request, or a body over
// Config.MaxBodySize.
const (
	lingerTime       = 500 * time.Millisecond
	rejectLingerSize = 64 << 10 // a refused connection sent a request at most
	bodyLingerSize   = 4 << 20  // a client sending a large body, read at most
)

// reject answers a refused connection and closes it.
func reject(c net.Conn, answer []byte) {
	defer c.Close()
	c.SetWriteDeadline(time.Now().Add(lingerTime))
	if _, err := c.Write(answer); err != nil {
		return
	}
	linger(c, lingerTime, rejectLingerSize)
}

// linger prepares c, whose answer is written, to be closed while the
// client may still be sending: it half-closes c (the client reads the end
// of the answer) and reads and discards what arrives until the client
// closes its side, for at most d and max bytes. Closing a connection with
// unread bytes sends a reset, and a reset arriving before the client has
// read the answer can destroy it (in the client's kernel, or in flight);
// after linger, a reset, if any, comes after the end of the answer. The
// caller closes c.
func linger(c net.Conn, d time.Duration, max int64) {
	if cw, ok := c.(interface{ CloseWrite() error }); ok {
		if cw.CloseWrite() != nil {
			return
		}
	}
	c.SetReadDeadline(time.Now().Add(d))
	io.Copy(io.Discard, io.LimitReader(c, max))
}

// lingerOnClose asks the connection of ctx (when it is a limitConn) to
// linger before it is closed: for an answer sent before the request body
// was read.
func lingerOnClose(c net.Conn) {
	if lc, ok := c.(*limitConn); ok {
		lc.linger.Store(true)
	}
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

// limitConn gives its slot back when closed (once). Its slot is held while
// it lingers, so MaxConns bounds the lingering connections too.
type limitConn struct {
	net.Conn
	l      *limitListener
	ip     string
	once   sync.Once
	linger atomic.Bool // see lingerOnClose
}

func (c *limitConn) Close() error {
	if c.linger.Swap(false) {
		linger(c.Conn, lingerTime, bodyLingerSize)
	}
	err := c.Conn.Close()
	c.once.Do(func() { c.l.release(c.ip) })
	return err
}
