package devcontrols

import (
	"log/slog"
	"net/http"
	"time"
)

// Config wires Controls into its host.
type Config struct {
	// Now stamps events.
	Now func() time.Time
	// Log receives fault changes and refused feed origins.
	Log *slog.Logger
	// Done, once closed, ends every event-feed connection: the host is
	// closing, and http.Server.Shutdown does not track hijacked connections.
	Done <-chan struct{}
	// FeedOrigin reports whether a browser Origin may open the event feed.
	// The rule lives with the allowed domains, which this package does not
	// know.
	FeedOrigin func(r *http.Request, origin string) bool
}

// Controls is one BI host's faults and event feed.
type Controls struct {
	cfg    Config
	faults faultState
	events *eventHub
}

// New returns Controls with no fault set and an empty feed.
func New(cfg Config) *Controls {
	return &Controls{cfg: cfg, events: newEventHub(cfg.Now)}
}

// Publish records an event and offers it to every feed subscriber.
func (c *Controls) Publish(kind string, detail map[string]any) {
	c.events.publish(kind, detail)
}

// Events returns the recent events (up to the backlog size), oldest first.
func (c *Controls) Events() []Event { return c.events.recent() }
