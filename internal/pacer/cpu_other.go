//go:build !unix

package pacer

import "time"

// processCPU is not measured on this system: it reports no CPU use, so a
// paced reload keeps its duty at the most.
func processCPU() time.Duration { return 0 }
