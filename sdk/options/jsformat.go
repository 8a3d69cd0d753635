package options

import (
	"math"
	"strconv"
	"strings"
)

// JavaScript writes object keys and numbers its own way; the iframe URL must
// match what upstream builds with JavaScript byte for byte, so these helpers
// follow the ECMAScript algorithms rather than Go's.

// isArrayIndex tells a key JavaScript enumerates before all others
// ("0" … "4294967294", written without leading zeros).
func isArrayIndex(k string) bool {
	if k == "" || len(k) > 10 || k[0] == '0' && k != "0" {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < '0' || k[i] > '9' {
			return false
		}
	}
	return len(k) < 10 || k <= "4294967294"
}

// CompareKeys orders keys the way JavaScript enumerates an object's own
// keys: array indices first in ascending numeric order, then the others in
// insertion order (reported here as equal, for a stable sort to keep).
func CompareKeys(a, b string) int {
	ai, bi := isArrayIndex(a), isArrayIndex(b)
	switch {
	case ai && bi:
		if len(a) != len(b) {
			return len(a) - len(b)
		}
		return strings.Compare(a, b)
	case ai:
		return -1
	case bi:
		return 1
	}
	return 0
}

// sortedKeys returns m's keys in JavaScript enumeration order as far as a
// Go map allows: the copy of a JavaScript object does not keep insertion
// order, so keys that are not array indices are sorted, which matches the
// caller's order whenever the caller wrote them alphabetically.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	// The keys are distinct, so this order is total and a stable sort gives
	// the one order any sort would.
	SortStable(keys, func(a, b string) int {
		if c := CompareKeys(a, b); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return keys
}

// SortStable sorts s in place by cmp, keeping elements that cmp reports
// equal in their original order. It is an insertion sort, quadratic in the
// worst case: the lists it serves hold a handful of option keys or query
// parameters, and it costs the WebAssembly binary far less code than the
// slices package's sorts, which instantiate a merge sort (or pdqsort) per
// element type.
func SortStable[E any](s []E, cmp func(a, b E) int) {
	for i := 1; i < len(s); i++ {
		// Moving only past strictly greater elements keeps equal ones in
		// order, which plan's query relies on.
		for j := i; j > 0 && cmp(s[j], s[j-1]) < 0; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// formatNumber formats x like JavaScript's String(x): the shortest digits
// that read back as x, laid out by the rules of Number::toString (plain
// notation from 1e-7 up to 1e21, exponent notation outside it).
func formatNumber(x float64) string {
	switch {
	case x == 0:
		return "0" // also -0, as in JavaScript
	case math.IsNaN(x):
		return "NaN"
	case math.IsInf(x, 1):
		return "Infinity"
	case math.IsInf(x, -1):
		return "-Infinity"
	}
	sign := ""
	if x < 0 {
		sign, x = "-", -x
	}
	// 'e' with precision -1 gives the shortest round-trip digits as
	// "d.ddde±XX"; n is where the decimal point goes after those digits.
	mant, exp, _ := strings.Cut(strconv.FormatFloat(x, 'e', -1, 64), "e")
	digits := strings.Replace(mant, ".", "", 1)
	e, _ := strconv.Atoi(exp)
	n, k := e+1, len(digits)
	switch {
	case k <= n && n <= 21:
		return sign + digits + strings.Repeat("0", n-k)
	case 0 < n && n <= 21:
		return sign + digits[:n] + "." + digits[n:]
	case -6 < n && n <= 0:
		return sign + "0." + strings.Repeat("0", -n) + digits
	}
	frac := ""
	if k > 1 {
		frac = "." + digits[1:]
	}
	expSign := "+"
	if e < 0 {
		expSign, e = "-", -e
	}
	return sign + digits[:1] + frac + "e" + expSign + strconv.Itoa(e)
}
