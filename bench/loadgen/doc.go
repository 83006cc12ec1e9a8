// Package loadgen drives a wordfilter-compatible HTTP service with realistic
// OpenIM webhook callbacks and measures what it answers.
//
// Requests are built once, before a run, by Build: each is one chat message
// (a line of a corpus) wrapped the way OpenIM wraps it, with the element
// JSON double-encoded inside the "content" string and the whole body encoded
// by Go's encoding/json (HTML-escaped, trailing newline), exactly as
// open-im-server's webhook client sends it. A Mix chooses the commands and
// content types (the modify callback with text, before-send single and
// group with text, @-text and quote).
//
// Run sends them over a fasthttp client in one of two modes:
//
//   - closed loop (Config.Rate == 0): Conns connections each send the next
//     request as soon as the previous answer arrived; this finds the peak
//     throughput;
//   - open loop (Config.Rate > 0): request i is scheduled at start + i/Rate
//     and its latency is measured from that scheduled time, so a server that
//     stalls is charged for every request that had to wait (no coordinated
//     omission). Requests that could not even be sent before the run's end
//     (plus the timeout) are counted as the error kind "missed".
//
// Latencies go into an HdrHistogram (microseconds, 3 significant digits);
// errors are counted by kind (see the Err* constants). A run is bounded by
// both Config.Duration and Config.MaxRequests, and Run refuses any address
// that is not loopback (see CheckLoopback).
//
// A Result is safe to read once Run returned; Run itself may be called
// concurrently for different targets.
package loadgen
