package devserver

import (
	"io/fs"
	"time"
)

// watchedAssets are the files whose change means "the SDK was rebuilt".
var watchedAssets = []string{sdkBundleName, "dashembed.wasm"}

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

// watchAssets polls the SDK build and publishes a "reload" event when it
// changes, which the demo host app answers by reloading itself. Polling (not
// inotify) keeps it portable and works for any fs.FS; a build writes files in
// several steps, so a change is reported only once the files are stable for
// one poll interval.
func (h *BIHost) watchAssets(every time.Duration) {
	defer h.wg.Done()
	last := stampAssets(h.cfg.Assets)
	var pending map[string]assetStamp
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-h.done:
			return
		case <-t.C:
		}
		now := stampAssets(h.cfg.Assets)
		if equalStamps(now, last) {
			pending = nil
			continue
		}
		if pending == nil || !equalStamps(now, pending) {
			pending = now // still changing; wait for it to settle
			continue
		}
		var changed []string
		for _, name := range watchedAssets {
			if now[name] != last[name] {
				changed = append(changed, name)
			}
		}
		last, pending = now, nil
		h.log.Info("SDK bundle changed; asking pages to reload", "files", changed)
		h.events.publish("reload", map[string]any{"files": changed})
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
