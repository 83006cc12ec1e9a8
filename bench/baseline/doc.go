// Package baseline holds the two servers wordfilter is measured against.
//
//   - Ceiling: a bare fasthttp server that decodes every OpenIM callback and
//     the element JSON inside its "content" with sonic, then answers allow
//     without filtering. No filter on the same stack can be faster; the
//     ratio wordfilter/ceiling says what filtering costs.
//   - Naive: what a typical user writes first: net/http, encoding/json and a
//     map-of-runes trie scanned from every position of the lower-cased text,
//     masking the modify callback and refusing before-send callbacks that
//     match. It loads the same dictionary files as wordfilter (every *.txt
//     of a folder, one word a line, "#" comments).
//
// Both answer POST <any prefix>/<command> with the OpenIM allow JSON (or the
// refusal / rewritten content for Naive), HTTP 400 with the OpenIM error
// JSON for a body that is not JSON, and GET /healthz and /readyz with 200.
// Start them in process with StartCeiling and StartNaive (use
// "127.0.0.1:0" for a free port); both refuse non-loopback addresses. A
// Server is safe for concurrent use; Close stops it.
package baseline
