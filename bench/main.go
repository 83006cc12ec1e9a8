// Command bench is wordfilter's HTTP load test: it sends realistic OpenIM
// webhook callbacks to wordfilter and to two baselines started by the same
// command, on the same machine, with the same requests, and writes the
// comparison (markdown, HTML and SVG) into a results folder.
//
// Usage:
//
//	go run ./bench [run] [flags]        the whole comparison (what "make bench-load" runs)
//	go run ./bench load -target ADDR    one load run against a server already running
//	go run ./bench ceiling [-listen A]  run the ceiling baseline (fasthttp + sonic, no filtering)
//	go run ./bench naive -dict D [-listen A]  run the typical-user baseline (net/http + map trie)
//
// Run "go run ./bench COMMAND -h" for the flags of a command. Every load
// targets loopback addresses only and is bounded by a duration and a
// request count. Bad flags exit 2.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

const usage = `bench: HTTP load test of wordfilter against two baselines

Usage:
  bench [run] [flags]              full comparison: wordfilter, ceiling, naive; results in -out
  bench load -target ADDR [flags]  one load run against a loopback server already running
  bench ceiling [-listen ADDR]     serve the ceiling baseline (fasthttp + sonic, answers allow)
  bench naive -dict PATH [-listen ADDR]  serve the typical-user baseline (net/http + map trie)

Run "bench COMMAND -h" for the flags of a command.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// errUsage marks an error caused by bad flags or arguments (exit 2).
var errUsage = errors.New("usage")

// run dispatches to a command and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cmd := "run"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "run":
		err = runCmd(ctx, args, stdout, stderr)
	case "load":
		err = loadCmd(ctx, args, stdout, stderr)
	case "ceiling", "naive":
		err = baselineCmd(ctx, cmd, args, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "bench: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		if msg := strings.TrimSpace(strings.TrimPrefix(err.Error(), errUsage.Error())); msg != "" && msg != ":" {
			fmt.Fprintf(stderr, "bench %s: %s\n", cmd, strings.TrimPrefix(msg, ": "))
		}
		return 2
	}
	fmt.Fprintf(stderr, "bench %s: %v\n", cmd, err)
	return 1
}

// usageErr wraps a message as a usage error (exit 2).
func usageErr(format string, a ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, a...))
}

// setUsage makes fs print synopsis and about before its flags on -h.
func setUsage(fs *flag.FlagSet, synopsis, about string) {
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: %s\n\n%s\n\nFlags:\n", synopsis, about)
		fs.PrintDefaults()
	}
}

// parseFlags parses args with fs, turning every failure into a usage error
// (the flag package already printed the message and the defaults).
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q", fs.Arg(0))
	}
	return nil
}
