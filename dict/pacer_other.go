//go:build !unix

package dict

import "time"

// processCPU is not measured on this system: it reports no CPU use, so a
// paced reload keeps its duty at Config.ReloadCPU.
func processCPU() time.Duration { return 0 }
