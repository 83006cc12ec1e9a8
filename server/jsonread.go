package server

import (
	"unicode/utf16"
	"unicode/utf8"
)

// maxJSONDepth is the deepest nesting of arrays and objects jsonReader
// accepts: Go's encoding/json refuses deeper input, so a receiver could not
// read it either.
const maxJSONDepth = 10000

// jsonReader reads JSON text the way Go's encoding/json reads it, so that
// the filter judges exactly what a receiver will show: the syntax of RFC
// 8259 and nothing more (sonic is more lenient: it takes raw control
// characters in strings), strings unescaped with invalid UTF-8 and lone
// surrogates read as U+FFFD, at most maxJSONDepth levels.
//
// The methods that read a value leave r.i after it and report false on a
// syntax error; r is then unusable.
type jsonReader struct {
	s   string
	i   int
	buf []byte // scratch for unescaping; strings returned from it are copies
}

func (r *jsonReader) reset(s string) {
	r.s, r.i = s, 0
}

// ws skips JSON whitespace.
func (r *jsonReader) ws() {
	for r.i < len(r.s) {
		switch r.s[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// peek returns the next byte after whitespace, or 0 at the end.
func (r *jsonReader) peek() byte {
	r.ws()
	if r.i < len(r.s) {
		return r.s[r.i]
	}
	return 0
}

// atEnd reports whether only whitespace is left.
func (r *jsonReader) atEnd() bool {
	r.ws()
	return r.i == len(r.s)
}

// str reads the string at r.i (after whitespace). It returns the byte span
// of the literal (quotes included), its decoded text, and whether the
// literal held bytes that are not UTF-8 (decoded as U+FFFD). The text
// shares r.s's memory when the literal has no escape and is valid UTF-8.
func (r *jsonReader) str() (start, end int, text string, invalid, ok bool) {
	if r.peek() != '"' {
		return 0, 0, "", false, false
	}
	start = r.i
	j := r.i + 1
	for j < len(r.s) {
		c := r.s[j]
		if c == '"' {
			raw := r.s[start+1 : j]
			r.i = j + 1
			if utf8.ValidString(raw) {
				return start, r.i, raw, false, true
			}
			text, invalid = r.decode(raw)
			return start, r.i, text, invalid, true
		}
		if c == '\\' {
			return r.slowStr(start)
		}
		if c < 0x20 {
			return 0, 0, "", false, false
		}
		j++
	}
	return 0, 0, "", false, false
}

// slowStr reads a string literal with escapes, starting at its quote.
func (r *jsonReader) slowStr(start int) (int, int, string, bool, bool) {
	b := r.buf[:0]
	invalid := false
	j := start + 1
	for j < len(r.s) {
		c := r.s[j]
		switch {
		case c == '"':
			r.i = j + 1
			r.buf = b
			return start, r.i, string(b), invalid, true
		case c < 0x20:
			return 0, 0, "", false, false
		case c == '\\':
			if j+1 >= len(r.s) {
				return 0, 0, "", false, false
			}
			e := r.s[j+1]
			j += 2
			switch e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				u, ok := hex4(r.s, j)
				if !ok {
					return 0, 0, "", false, false
				}
				j += 4
				rn := rune(u)
				if utf16.IsSurrogate(rn) {
					// A pair decodes to one character; a lone half is
					// U+FFFD, as encoding/json has it.
					rn = utf8.RuneError
					if j+6 <= len(r.s) && r.s[j] == '\\' && r.s[j+1] == 'u' {
						if u2, ok := hex4(r.s, j+2); ok {
							if d := utf16.DecodeRune(rune(u), rune(u2)); d != utf8.RuneError {
								rn = d
								j += 6
							}
						}
					}
				}
				b = utf8.AppendRune(b, rn)
			default:
				return 0, 0, "", false, false
			}
		case c < utf8.RuneSelf:
			b = append(b, c)
			j++
		default:
			rn, size := utf8.DecodeRuneInString(r.s[j:])
			if rn == utf8.RuneError && size == 1 {
				invalid = true
			}
			b = utf8.AppendRune(b, rn)
			j += size
		}
	}
	return 0, 0, "", false, false
}

// decode returns raw (a literal's content without escapes) with each byte
// that is not UTF-8 replaced by U+FFFD.
func (r *jsonReader) decode(raw string) (string, bool) {
	b := r.buf[:0]
	invalid := false
	for _, rn := range raw {
		if rn == utf8.RuneError {
			invalid = true
		}
		b = utf8.AppendRune(b, rn)
	}
	r.buf = b
	return string(b), invalid
}

// hex4 reads four hex digits at s[i:].
func hex4(s string, i int) (uint16, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var v uint16
	for _, c := range []byte(s[i : i+4]) {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		v = v<<4 | uint16(c)
	}
	return v, true
}

// skip reads over the value at r.i (after whitespace) without decoding it.
// Nesting is followed with a counter, not recursion.
func (r *jsonReader) skip() bool {
	depth := 0
	// stack of open containers: a bit per level would do, but the
	// closing byte tells which one closes, and a mismatch is an error.
	var stack []byte
	var small [32]byte
	stack = small[:0]
	for {
		switch c := r.peek(); c {
		case '{', '[':
			if depth++; depth > maxJSONDepth {
				return false
			}
			stack = append(stack, c)
			r.i++
			if c == '{' {
				if r.peek() == '}' {
					r.i++
					depth--
					stack = stack[:len(stack)-1]
					break
				}
				if !r.key() {
					return false
				}
				continue
			}
			if r.peek() == ']' {
				r.i++
				depth--
				stack = stack[:len(stack)-1]
				break
			}
			continue
		case '"':
			if _, _, _, _, ok := r.str(); !ok {
				return false
			}
		case 't':
			if !r.lit("true") {
				return false
			}
		case 'f':
			if !r.lit("false") {
				return false
			}
		case 'n':
			if !r.lit("null") {
				return false
			}
		default:
			if !r.number() {
				return false
			}
		}
		// After a value: close containers, or go on to the next member.
		for {
			if depth == 0 {
				return true
			}
			c := r.peek()
			open := stack[len(stack)-1]
			switch {
			case c == ',':
				r.i++
				if open == '{' && !r.key() {
					return false
				}
			case c == '}' && open == '{', c == ']' && open == '[':
				r.i++
				depth--
				stack = stack[:len(stack)-1]
				continue
			default:
				return false
			}
			break
		}
	}
}

// more reads what follows a member or an element: a comma (more) or the
// closing byte of its object or array (not more, ok); anything else is a
// syntax error.
func (r *jsonReader) more(closing byte) (more, ok bool) {
	switch r.peek() {
	case ',':
		r.i++
		return true, true
	case closing:
		r.i++
		return false, true
	}
	return false, false
}

// key reads an object key and its colon (for skip).
func (r *jsonReader) key() bool {
	if _, _, _, _, ok := r.str(); !ok {
		return false
	}
	if r.peek() != ':' {
		return false
	}
	r.i++
	return true
}

func (r *jsonReader) lit(word string) bool {
	if len(r.s)-r.i < len(word) || r.s[r.i:r.i+len(word)] != word {
		return false
	}
	r.i += len(word)
	return true
}

// number reads a number with JSON's grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (r *jsonReader) number() bool {
	s, i := r.s, r.i
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && '1' <= s[i] && s[i] <= '9':
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		if i = digits(s, i+1); i < 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i = digits(s, i); i < 0 {
			return false
		}
	}
	r.i = i
	return true
}

// digits returns the index after the run of decimal digits at s[i:], or
// -1 when there is none.
func digits(s string, i int) int {
	d := i
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	if i == d {
		return -1
	}
	return i
}
