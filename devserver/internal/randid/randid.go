// Package randid makes the random identifiers the mock hands out: session
// ids, CSRF and permalink keys, Luzmo tokens (Hex) and JWT ids, embedded
// dashboard and Luzmo ids (UUID). They come from crypto/rand because some
// of them stand in for secrets.
package randid

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
)

// Hex returns n random bytes as hex.
func Hex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// UUID returns a random version-4 UUID.
func UUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
