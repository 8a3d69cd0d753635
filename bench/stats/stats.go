// Package stats holds the few summary statistics the benchmark reports.
package stats

import (
	"math"
	"slices"
	"time"
)

// Median returns the median of xs, or NaN when xs is empty. The median is
// the headline figure throughout: on a shared machine a single slow run
// must not move the result the way it moves a mean.
func Median(xs []float64) float64 {
	return Quantile(xs, 0.5)
}

// Mean returns the arithmetic mean of xs, or NaN when xs is empty.
func Mean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	var sum float64
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}

// Quantile returns the q-quantile (0 ≤ q ≤ 1) of xs with linear
// interpolation between the two nearest ranks, or NaN when xs is empty.
// xs is not modified.
func Quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return sortedQuantile(s, q)
}

func sortedQuantile(s []float64, q float64) float64 {
	pos := q * float64(len(s)-1)
	lo := int(math.Floor(pos))
	hi := int(math.Ceil(pos))
	if lo == hi {
		return s[lo]
	}
	return s[lo] + (s[hi]-s[lo])*(pos-float64(lo))
}

// DurationQuantiles returns the requested quantiles of ds in milliseconds.
// It sorts ds in place: the load generator's latency slices can hold
// hundreds of thousands of samples and are not used afterwards.
func DurationQuantiles(ds []time.Duration, qs ...float64) []float64 {
	out := make([]float64, len(qs))
	if len(ds) == 0 {
		for i := range out {
			out[i] = math.NaN()
		}
		return out
	}
	slices.Sort(ds)
	ms := make([]float64, len(ds))
	for i, d := range ds {
		ms[i] = float64(d) / float64(time.Millisecond)
	}
	for i, q := range qs {
		out[i] = sortedQuantile(ms, q)
	}
	return out
}
