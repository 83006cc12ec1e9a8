// Package shareddata locates the team's shared test data (real dictionaries
// and chat corpora) that lives beside the checkout in ../shared/data. Tests
// and benchmarks that need it call Dir, which skips the test with a message
// saying why when the folder is absent (a user's fresh clone).
package shareddata

import (
	"os"
	"path/filepath"
	"testing"
)

// EnvVar names an environment variable that, when set, points at the data
// folder directly.
const EnvVar = "WORDFILTER_SHARED_DATA"

// Find returns the shared data folder, or "" when there is none. It looks
// at $WORDFILTER_SHARED_DATA, then for shared/data beside each parent of
// the working directory.
func Find() string {
	if d := os.Getenv(EnvVar); d != "" {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d
		}
		return ""
	}
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		cand := filepath.Join(filepath.Dir(dir), "shared", "data")
		if st, err := os.Stat(filepath.Join(cand, "dicts")); err == nil && st.IsDir() {
			return cand
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Dir returns the shared data folder or skips tb when it is absent.
func Dir(tb testing.TB) string {
	tb.Helper()
	d := Find()
	if d == "" {
		tb.Skipf("shared data not found (../shared/data beside the checkout, or $%s): skipping the test on real dictionaries and corpora", EnvVar)
	}
	return d
}

// Path returns the file rel inside the shared data folder (for example
// "dicts/zh-large.txt"), skipping tb when the folder or the file is absent.
func Path(tb testing.TB, rel string) string {
	tb.Helper()
	p := filepath.Join(Dir(tb), filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("shared data file %s not found: %v", rel, err)
	}
	return p
}
