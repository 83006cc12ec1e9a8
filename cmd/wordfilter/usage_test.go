package main

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// usageFlag finds the flags named in a synopsis: "-dict" in "[-dict DIR]".
var usageFlag = regexp.MustCompile(`(?:^|[\s\[])-([a-z][a-z0-9-]*)`)

// definedFlag finds the flags a FlagSet prints with PrintDefaults: each
// starts a line with two spaces and a dash.
var definedFlag = regexp.MustCompile(`(?m)^  -([a-z][a-z0-9-]*)`)

// synopsisFlags returns the flags named on the line of text that starts
// with prefix (after leading spaces), sorted.
func synopsisFlags(t *testing.T, text, prefix string) []string {
	t.Helper()
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if rest, ok := strings.CutPrefix(line, prefix); ok {
			var names []string
			for _, m := range usageFlag.FindAllStringSubmatch(rest, -1) {
				names = append(names, m[1])
			}
			slices.Sort(names)
			return names
		}
	}
	t.Fatalf("no line starting with %q in:\n%s", prefix, text)
	return nil
}

// TestHelpListsEveryFlag checks that the synopsis of check, validate and diff in
// "wordfilter -h", and the first line of their own -h, name exactly the
// flags their FlagSets define, so that a new flag cannot be left out of
// the overview.
func TestHelpListsEveryFlag(t *testing.T) {
	var top, errb bytes.Buffer
	if code := run([]string{"-h"}, nil, &top, &errb); code != 0 {
		t.Fatalf("run(-h) = %d, want 0; stderr %q", code, errb.String())
	}
	for _, cmd := range []string{"check", "validate", "diff"} {
		var out, help bytes.Buffer
		if code := run([]string{cmd, "-h"}, nil, &out, &help); code != 0 {
			t.Fatalf("wordfilter %s -h = %d, want 0; stderr %q", cmd, code, help.String())
		}
		var defined []string
		for _, m := range definedFlag.FindAllStringSubmatch(help.String(), -1) {
			defined = append(defined, m[1])
		}
		slices.Sort(defined)
		if len(defined) == 0 {
			t.Fatalf("wordfilter %s -h lists no flag:\n%s", cmd, help.String())
		}
		if got := synopsisFlags(t, top.String(), "wordfilter "+cmd+" "); !slices.Equal(got, defined) {
			t.Errorf("wordfilter -h shows %s with flags %v, its FlagSet defines %v", cmd, got, defined)
		}
		if got := synopsisFlags(t, help.String(), "Usage: wordfilter "+cmd+" "); !slices.Equal(got, defined) {
			t.Errorf("wordfilter %s -h shows the flags %v in its usage line, its FlagSet defines %v", cmd, got, defined)
		}
	}
}
