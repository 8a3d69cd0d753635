package embed

import (
	"testing"

	"github.com/dashembed/dashembed/sdk/options"
)

// resizeStep is one measurement fed to a resizer and what it must answer.
type resizeStep struct {
	measured float64
	height   float64
	changed  bool
}

func runResizer(t *testing.T, r *resizer, steps []resizeStep) {
	t.Helper()
	for i, s := range steps {
		h, changed := r.Next(s.measured)
		if h != s.height || changed != s.changed {
			t.Errorf("step %d: Next(%v) = %v, %v; want %v, %v", i, s.measured, h, changed, s.height, s.changed)
		}
	}
}

func TestResizerClamps(t *testing.T) {
	r := newResizer(options.AutoResize{Enabled: true, MinHeight: 200, MaxHeight: 800})
	runResizer(t, r, []resizeStep{
		{100, 200, true},   // below the minimum
		{150, 200, false},  // still below: no change to make
		{450, 450, true},   // within bounds
		{1000, 800, true},  // above the maximum
		{5000, 800, false}, // still above
		{800, 800, false},
		{0, 200, true}, // an empty page: back to the minimum
	})
}

func TestResizerNoBounds(t *testing.T) {
	r := newResizer(options.AutoResize{Enabled: true})
	runResizer(t, r, []resizeStep{
		{0, 0, false}, // nothing measured yet: leave the iframe alone
		{-5, 0, false},
		{640, 640, true},
		{640, 640, false},
		{640.5, 640.5, true},
	})
}

func TestResizerMinHeightOnly(t *testing.T) {
	r := newResizer(options.AutoResize{Enabled: true, MinHeight: 300})
	runResizer(t, r, []resizeStep{
		{0, 300, true},
		{4000, 4000, true},
		{250, 300, true},
	})
}

// TestResizerEchoIgnored: a page whose document is always 16 px taller
// than its viewport (html at 100 % height plus a body margin). Each time
// the iframe grows, so does the measurement. The resizer must stop after
// our own change echoes back, not grow the iframe for ever.
func TestResizerEchoIgnored(t *testing.T) {
	r := newResizer(options.AutoResize{Enabled: true})
	iframe := 150.0 // the browser's default iframe height
	changes := 0
	for poll := 0; poll < 50; poll++ {
		h, changed := r.Next(iframe + 16)
		if changed {
			changes++
			iframe = h
		}
	}
	if changes > 2 {
		t.Errorf("the iframe was resized %d times for a page that echoes our height, want ≤ 2", changes)
	}
	if iframe > 150+2*16 {
		t.Errorf("the iframe grew to %v px, want it to stop within two steps of 166", iframe)
	}
	// The exact sequence: first measurement applied, one +16 step applied
	// (it might be real), the second identical step ignored.
	r = newResizer(options.AutoResize{Enabled: true})
	runResizer(t, r, []resizeStep{
		{166, 166, true},
		{182, 182, true},
		{198, 182, false},
		{198, 182, false},
	})
}

func TestResizerRealChangesAfterEcho(t *testing.T) {
	r := newResizer(options.AutoResize{Enabled: true})
	runResizer(t, r, []resizeStep{
		{166, 166, true},
		{182, 182, true},
		{198, 182, false}, // the echo
		{900, 900, true},  // the dashboard really grew
		{400, 400, true},  // and shrank
		{416, 416, true},  // a growth right after a shrink is real
		{320, 320, true},
	})
}

func TestResizerGrowthAndShrink(t *testing.T) {
	r := newResizer(options.AutoResize{Enabled: true, MaxHeight: 2000})
	runResizer(t, r, []resizeStep{
		{300, 300, true},
		{700, 700, true},   // +400
		{1200, 1200, true}, // +500
		{400, 400, true},   // shrink
		{399, 399, true},   // a 1 px shrink is still a change
		{2400, 2000, true},
		{1000, 1000, true},
	})
}

// TestResizerEqualRealGrowths: a dashboard whose chart rows have the same
// height (the common case: a grid of equal rows) and load one after the
// other, one row per poll. Every row must be shown: the iframe ends as tall
// as the dashboard, without a scroll bar.
func TestResizerEqualRealGrowths(t *testing.T) {
	const header, row = 120.0, 400.0
	for rows := 1; rows <= 6; rows++ {
		r := newResizer(options.AutoResize{Enabled: true})
		var height float64
		for loaded := 1; loaded <= rows; loaded++ {
			if h, changed := r.Next(header + float64(loaded)*row); changed {
				height = h
			}
		}
		for poll := 0; poll < 3; poll++ { // the dashboard is complete; polls go on
			if h, changed := r.Next(header + float64(rows)*row); changed {
				height = h
			}
		}
		if want := header + float64(rows)*row; height != want {
			t.Errorf("%d equal rows: the iframe stays at %v px, want %v: a second %v px growth in a row was taken for an echo",
				rows, height, want, row)
		}
	}
}
