// Command wordfilter is a sensitive-word filtering service for OpenIM and a
// small toolbox for the operators who maintain its dictionaries.
//
// Usage:
//
//	wordfilter serve [flags]                                             run the service (also plain "wordfilter")
//	wordfilter check [-dict DIR] [-json] [-mask C] [-summary] [FILE...]  filter lines as messages
//	wordfilter validate [-strict] -dict DIR                              load and compile a folder
//	wordfilter diff [-old DIR] -new DIR [-json] [FILE...]                what a dictionary change does to messages
//	wordfilter version                                                   print the version
//
// Run "wordfilter COMMAND -h" for the flags of a command.
package main

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// version is stamped at build time with -ldflags "-X main.version=...".
var version = "dev"

const usage = `wordfilter: sensitive-word filtering service for OpenIM

Usage:
  wordfilter serve [flags]                                             run the service until SIGINT/SIGTERM (also plain "wordfilter")
  wordfilter check [-dict DIR] [-json] [-mask C] [-summary] [FILE...]  filter each line of FILEs (or stdin) as one message
  wordfilter validate [-strict] -dict DIR                              load and compile a dictionary folder; exit 1 on errors
                                                                       (-strict: also on warnings)
  wordfilter diff [-old DIR] -new DIR [-json] [FILE...]                print the messages two dictionaries judge differently; exit 0 none,
                                                                       1 some, 2 bad flags, a refused dictionary or an unreadable FILE
  wordfilter version                                                   print the version

Run "wordfilter COMMAND -h" for the flags of a command.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run dispatches to a command and returns the process exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	} else if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		fmt.Fprint(stdout, usage)
		return 0
	}
	switch cmd {
	case "serve":
		return serveCmd(args, stderr)
	case "check":
		return checkCmd(args, stdin, stdout, stderr)
	case "validate":
		return validateCmd(args, stdout, stderr)
	case "diff":
		return diffCmd(args, stdin, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, version)
		return 0
	case "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "wordfilter: unknown command %q\n\n%s", cmd, usage)
	return 2
}
