package server

import (
	"github.com/valyala/fasthttp"
)

// Reasons the service could not judge a callback: the values of the reason
// label of wordfilter_unavailable_total. The set is fixed, so the label's
// cardinality is too.
const (
	reasonNoDictionary  = "no_dictionary"        // no dictionary loaded yet
	reasonOverload      = "too_many_connections" // over Config.MaxConns or MaxConnsPerIP
	reasonOutsidePrefix = "outside_prefix"       // a callback path outside Config.CallbackPrefix
	reasonBodyTooLarge  = "body_too_large"       // a body over Config.MaxBodySize
	reasonInternal      = "internal_error"       // a panic while answering
	// reasonBadRequest: a request that could not be read to its end, or
	// JSON that is not the command's shape (OpenIM sends neither).
	reasonBadRequest = "bad_request"
)

// unavailableReasons lists every reason, for the metrics.
var unavailableReasons = []string{reasonNoDictionary, reasonOverload, reasonOutsidePrefix, reasonBodyTooLarge, reasonInternal, reasonBadRequest}

// unavailableBody returns the answer to a callback the service cannot
// judge: OpenIM's refusal with errCode code and errMsg "word filter
// unavailable: <msg>", or, when failOpen, the allow answer carrying the
// same message. Either way it also holds "error" (msg), so that a REST
// client reading the same bytes (the overload answer is written before the
// path is known) sees an error too.
func unavailableBody(code int, failOpen bool, msg string) []byte {
	var o jsonObject
	o.open()
	o.int("actionCode", 0)
	if failOpen {
		o.int("nextCode", 0)
		o.int("errCode", 0)
	} else {
		o.int("nextCode", 1)
		o.int("errCode", int64(code))
	}
	o.str("errMsg", "word filter unavailable: "+msg)
	o.str("errDlt", "")
	o.str("error", msg)
	o.close()
	return o.b
}

// unavailable answers a callback the service cannot judge (never with an
// answer OpenIM reads as allow, unless Config.FailOpen) and counts it by
// reason. Whatever a handler had written is replaced.
func (s *Server) unavailable(ctx *fasthttp.RequestCtx, status int, reason, msg string) {
	s.met.unavailable[reason].Inc()
	ctx.SetStatusCode(status)
	ctx.SetContentType("application/json")
	ctx.SetBody(unavailableBody(s.cfg.UnavailableCode, s.cfg.FailOpen, msg))
}
