//go:build !race

package filter_test

// raceEnabled shortens the brute-force tests under the race detector.
const raceEnabled = false
