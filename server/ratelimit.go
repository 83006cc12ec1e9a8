package server

import (
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// DefaultRefusalLogRate is how many refusal log lines a second are written
// by default; the rest are counted in wordfilter_log_lines_dropped_total.
const DefaultRefusalLogRate = 100

// refusalLogger returns log limited to rate lines a second of each message
// (negative: log itself), with zap's sampler, so that a flood of refused
// messages neither floods the log nor slows the request path: a line over
// the rate costs a counter, not its fields. dropped is called for each
// line left out.
func refusalLogger(log *zap.Logger, rate int, dropped func()) *zap.Logger {
	if rate < 0 {
		return log
	}
	hook := zapcore.SamplerHook(func(_ zapcore.Entry, d zapcore.SamplingDecision) {
		if d&zapcore.LogDropped != 0 {
			dropped()
		}
	})
	return log.WithOptions(zap.WrapCore(func(c zapcore.Core) zapcore.Core {
		return zapcore.NewSamplerWithOptions(c, time.Second, rate, 0, hook)
	}))
}
