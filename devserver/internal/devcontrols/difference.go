package devcontrols

// Difference records a place where the mock answers otherwise than Superset
// on purpose: a warning in the log and a "warning" event in the feed, both
// saying what the mock did and what Superset would have done, so that a
// host app that only works thanks to the difference is caught before
// production.
func (c *Controls) Difference(mock, superset string) {
	c.cfg.Log.Warn(mock + "; " + superset)
	c.Publish("warning", map[string]any{"mock": mock, "superset": superset})
}
