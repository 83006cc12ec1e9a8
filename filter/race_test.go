//go:build race

package filter_test

// raceEnabled shortens the brute-force tests under the race detector,
// which slows them tenfold and adds nothing to single-goroutine checks.
const raceEnabled = true
