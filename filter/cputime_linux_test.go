//go:build linux

package filter_test

import (
	"syscall"
	"time"
)

// threadCPU returns the CPU time used so far by the calling OS thread
// (lock the goroutine to its thread around a measurement). On a shared,
// loaded machine it is a steadier measure than wall time.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
