package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"
)

// eachLine calls fn with each line of r as one message, and its size in
// bytes as read. A line may be of any length; its LF or CRLF end is not
// part of the message. idle is called whenever the input has nothing more
// buffered, so that a caller can flush its output then: an interactive
// session sees each result at once while a large file is written in big
// blocks. Only one line is held at a time.
func eachLine(r io.Reader, idle func() error, fn func(msg string, size int) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var long []byte
	for {
		if br.Buffered() == 0 {
			if err := idle(); err != nil {
				return err
			}
		}
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			long = append(long[:0], line...)
			for errors.Is(err, bufio.ErrBufferFull) {
				line, err = br.ReadSlice('\n')
				long = append(long, line...)
			}
			line = long
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		if len(line) > 0 {
			msg := strings.TrimSuffix(strings.TrimSuffix(string(line), "\n"), "\r")
			if werr := fn(msg, len(line)); werr != nil {
				return werr
			}
		}
		if err != nil { // io.EOF
			return nil
		}
	}
}

// openInput opens the FILE argument name for reading ("-" is stdin, which
// is not closed); the caller calls the returned close function.
func openInput(name string, stdin io.Reader) (io.Reader, func(), error) {
	if name == "-" {
		return stdin, func() {}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot open %q: %w", name, unwrapPath(err))
	}
	return f, func() { f.Close() }, nil
}

// unwrapPath drops the path a *os.PathError repeats.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// progress reports how many lines a command has read on a terminal's
// stderr, at most once every progressEvery. Its zero value (no writer)
// reports nothing.
type progress struct {
	w            io.Writer // nil unless stderr is a terminal
	verb         string    // "checked", "compared"
	lines, bytes int64
	last         time.Time
	reported     bool
}

// progressEvery is how often check and diff report progress on a terminal.
const progressEvery = time.Second

// newProgress returns a progress that writes to stderr only when it is a
// terminal.
func newProgress(stderr io.Writer, verb string) *progress {
	p := &progress{verb: verb}
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.w = stderr
	}
	return p
}

// add counts one line of size bytes and reports when it is time.
func (p *progress) add(size int) {
	p.lines++
	p.bytes += int64(size)
	if p.w != nil && p.lines%1024 == 0 {
		if now := time.Now(); now.Sub(p.last) >= progressEvery {
			p.last = now
			p.reported = true
			fmt.Fprintf(p.w, "\r%s %d lines (%.1f MB)", p.verb, p.lines, float64(p.bytes)/1e6)
		}
	}
}

// clear ends the progress line, if one was written.
func (p *progress) clear() {
	if p.reported {
		fmt.Fprintf(p.w, "\r%s %d lines (%.1f MB)\n", p.verb, p.lines, float64(p.bytes)/1e6)
		p.reported = false
	}
}
