package devcontrols

import (
	"net/http"
	"time"

	"github.com/dashembed/dashembed/devserver/internal/apijson"
	"github.com/gorilla/websocket"
)

// HandleEvents is GET /__dashembed/events: a websocket that sends the event
// backlog, a "live" marker, then every new event, as JSON text messages.
// Browsers may open it only from an origin Config.FeedOrigin accepts, so
// another site can't watch tokens being minted.
func (c *Controls) HandleEvents(w http.ResponseWriter, r *http.Request) {
	if !websocket.IsWebSocketUpgrade(r) {
		apijson.WriteError(w, http.StatusBadRequest, "This endpoint is a websocket; connect with a websocket client (Upgrade: websocket)")
		return
	}
	if o := r.Header.Get("Origin"); o != "" && !c.cfg.FeedOrigin(r, o) {
		c.cfg.Log.Warn("event feed refused for origin", "origin", o)
		apijson.WriteError(w, http.StatusForbidden, "Origin "+o+" may not open the event feed; add it to Config.EventOrigins")
		return
	}
	up := websocket.Upgrader{
		// The Origin was checked above with the richer rules.
		CheckOrigin: func(*http.Request) bool { return true },
	}
	conn, err := up.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader has answered
	}
	defer conn.Close()
	backlog, ch, cancel := c.events.subscribe()
	defer cancel()

	// A reader goroutine notices the client closing; the feed is one-way.
	gone := make(chan struct{})
	go func() {
		defer close(gone)
		for {
			if _, _, err := conn.ReadMessage(); err != nil {
				return
			}
		}
	}()
	send := func(ev Event) bool {
		conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
		return conn.WriteJSON(ev) == nil
	}
	for _, ev := range backlog {
		if !send(ev) {
			return
		}
	}
	// A "live" marker (seq 0) separates the backlog from new events, so a
	// client can act on new ones only (the demo reloads on a new "reload").
	if !send(Event{Time: c.cfg.Now().UTC(), Kind: "live"}) {
		return
	}
	ping := time.NewTicker(30 * time.Second)
	defer ping.Stop()
	for {
		select {
		case ev := <-ch:
			if !send(ev) {
				return
			}
		case <-ping.C:
			conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
			if conn.WriteMessage(websocket.PingMessage, nil) != nil {
				return
			}
		case <-gone:
			return
		case <-c.cfg.Done:
			conn.WriteControl(websocket.CloseMessage,
				websocket.FormatCloseMessage(websocket.CloseGoingAway, "server closing"), time.Now().Add(time.Second))
			return
		}
	}
}

// HandleReport is POST /__dashembed/report: the embedded page tells the
// server what happened in the browser (handshakes, tokens received,
// rendering, auth errors), which joins the event feed.
func (c *Controls) HandleReport(w http.ResponseWriter, r *http.Request) {
	body, berr := apijson.ReadObject(r)
	if berr != nil {
		berr.Write(w)
		return
	}
	ev, _ := body["event"].(string)
	switch ev {
	case "handshake", "handshake_ignored", "handshake_refused", "token_received", "rendered", "auth_error", "data_mask":
	default:
		apijson.WriteError(w, http.StatusBadRequest, apijson.SchemaErrors{"event": []string{"Must be one of: handshake, handshake_ignored, handshake_refused, token_received, rendered, auth_error, data_mask."}})
		return
	}
	detail, _ := body["detail"].(map[string]any)
	if detail == nil {
		detail = map[string]any{}
	}
	if d, ok := body["dashboard"].(string); ok {
		detail["dashboard"] = d
	}
	c.Publish("page_"+ev, detail)
	w.WriteHeader(http.StatusNoContent)
}
