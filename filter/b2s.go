package filter

import "unsafe"

// b2s returns the bytes of b as a string without copying. The caller must
// own b and never change it afterwards: only freshly built buffers that
// nobody else holds are converted. This is the package's only use of
// unsafe.
func b2s(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}
