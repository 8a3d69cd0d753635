package token

import (
	"testing"
	"time"
)

func TestHiddenRefreshAt(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 0)
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	tests := []struct {
		name                         string
		visibleDue, hiddenSince, now time.Duration
		want                         time.Duration
	}{
		{"hidden just now: 1 s earlier", 295 * time.Second, 0, 0, 294 * time.Second},
		{"due after 5 min hidden: 1 min earlier", 400 * time.Second, 0, 0, 340 * time.Second},
		{"due just before the 5 min mark", 300*time.Second + 999*time.Millisecond, 0, 0, 299*time.Second + 999*time.Millisecond},
		{"hidden long ago", 295 * time.Second, -time.Hour, 0, 235 * time.Second},
		{"short token, hidden long: half-way, not in a loop", 35 * time.Second, -time.Hour, 0, 17500 * time.Millisecond},
		{"already due: at once", -time.Second, -time.Hour, 0, -time.Second},
	}
	for _, c := range tests {
		got := HiddenRefreshAt(at(c.visibleDue), at(c.hiddenSince), at(c.now))
		if want := at(c.want); !got.Equal(want) {
			t.Errorf("%s: %v after t0, want %v", c.name, got.Sub(t0), c.want)
		}
	}
}
