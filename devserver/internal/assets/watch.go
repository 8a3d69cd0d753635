package assets

import (
	"io/fs"
	"time"
)

// watchedAssets are the files whose change means "the SDK was rebuilt".
var watchedAssets = []string{bundleName, "dashembed.wasm"}

// assetStamp identifies one version of a file.
type assetStamp struct {
	size    int64
	modTime time.Time
	exists  bool
}

// stampAssets reads the current version of every watched file.
func stampAssets(fsys fs.FS) map[string]assetStamp {
	out := map[string]assetStamp{}
	for _, name := range watchedAssets {
		if st, err := fs.Stat(fsys, name); err == nil {
			out[name] = assetStamp{size: st.Size(), modTime: st.ModTime(), exists: true}
		} else {
			out[name] = assetStamp{}
		}
	}
	return out
}

// Watch polls the SDK build in fsys every interval until done is closed,
// and calls changed with the names of the files that changed, which the host
// publishes as a "reload" event the demo host app answers by reloading
// itself. Polling (not inotify) keeps it portable and works for any fs.FS; a
// build writes files in several steps, so a change is reported only once the
// files are stable for one poll interval.
func Watch(fsys fs.FS, every time.Duration, done <-chan struct{}, changed func(files []string)) {
	last := stampAssets(fsys)
	var pending map[string]assetStamp
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
		}
		now := stampAssets(fsys)
		if equalStamps(now, last) {
			pending = nil
			continue
		}
		if pending == nil || !equalStamps(now, pending) {
			pending = now // still changing; wait for it to settle
			continue
		}
		var files []string
		for _, name := range watchedAssets {
			if now[name] != last[name] {
				files = append(files, name)
			}
		}
		last, pending = now, nil
		changed(files)
	}
}

// equalStamps compares two snapshots.
func equalStamps(a, b map[string]assetStamp) bool {
	for k, v := range a {
		if w, ok := b[k]; !ok || !w.modTime.Equal(v.modTime) || w.size != v.size || w.exists != v.exists {
			return false
		}
	}
	return len(a) == len(b)
}
