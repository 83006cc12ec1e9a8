package main

import (
	"fmt"
	"io"
)

// checkCmd implements "wordfilter check". Placeholder until the dictionary
// work lands.
func checkCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "wordfilter check: not implemented yet")
	return 2
}

// validateCmd implements "wordfilter validate". Placeholder until the
// dictionary work lands.
func validateCmd(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "wordfilter validate: not implemented yet")
	return 2
}
