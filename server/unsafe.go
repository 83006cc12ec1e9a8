package server

import "unsafe"

// b2s returns b as a string without copying. The string is valid only while
// b is neither modified nor reused: handlers use it on fasthttp's request
// body, which lives until the handler returns, and never retain the result
// (nor any string that sonic decodes from it) beyond the request.
func b2s(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}
