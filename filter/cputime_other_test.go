//go:build !linux

package filter_test

import "time"

// threadCPU is not available here: the benchmarks then report wall time
// only.
func threadCPU() time.Duration { return 0 }
