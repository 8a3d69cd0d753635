package embed

import (
	"time"

	"github.com/dashembed/dashembed/sdk/options"
)

// resizeInterval is how often autoResize measures the dashboard while the
// iframe is visible. The page does not announce size changes, so polling is
// the only way; each poll is one small message each way.
const resizeInterval = 500 * time.Millisecond

// maxEcho is the largest step taken for an echo of our own resizing: what a
// body margin, a border or a scrollbar adds.
const maxEcho = 32

// resizer turns measurements of the dashboard's scroll height into iframe
// heights, within the caller's bounds, without the feedback loop a naive
// one falls into: a page whose document is always a little taller than
// its viewport (a body margin under a 100%-high html) reports a height that
// grows by the same small step each time the iframe grows. The second
// identical step in a row, if no larger than maxEcho, is taken for that echo
// and ignored; larger steps are content (rows, charts) and always followed.
type resizer struct {
	bounds options.AutoResize
	height float64 // the height last set, 0 before the first
	step   float64 // the growth last applied, if it was a growth
}

// newResizer returns a resizer for the autoResize option's bounds.
func newResizer(bounds options.AutoResize) *resizer { return &resizer{bounds: bounds} }

// Next returns the height to set for a measured scroll height, and whether
// it differs from the current one.
func (r *resizer) Next(measured float64) (float64, bool) {
	target := max(measured, r.bounds.MinHeight)
	if r.bounds.MaxHeight > 0 {
		target = min(target, r.bounds.MaxHeight)
	}
	if target <= 0 || target == r.height {
		return r.height, false
	}
	growth := target - r.height
	if r.height > 0 && growth > 0 && growth == r.step && growth <= maxEcho {
		return r.height, false
	}
	if r.height > 0 && growth > 0 {
		r.step = growth
	} else {
		r.step = 0
	}
	r.height = target
	return target, true
}
