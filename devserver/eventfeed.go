package devserver

import (
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/websocket"
)

// handleEvents is GET /__dashembed/events: a websocket that sends the event
// backlog, a "live" marker, then every new event, as JSON text messages. Browsers may open it
// only from the BI host's own origin, a configured event origin or a
// dashboard's allowed domain, so another site can't watch tokens being minted.
func (h *BIHost) handleEvents(w http.ResponseWriter, r *http.Request) {
	if !websocket.IsWebSocketUpgrade(r) {
		writeError(w, http.StatusBadRequest, "This endpoint is a websocket; connect with a websocket client (Upgrade: websocket)")
		return
	}
	if o := r.Header.Get("Origin"); o != "" && !h.eventOriginAllowed(r, o) {
		h.log.Warn("event feed refused for origin", "origin", o)
		writeError(w, http.StatusForbidden, "Origin "+o+" may not open the event feed; add it to Config.EventOrigins")
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
	backlog, ch, cancel := h.events.subscribe()
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
	if !send(Event{Time: h.cfg.Now().UTC(), Kind: "live"}) {
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
		case <-h.done:
			conn.WriteControl(websocket.CloseMessage,
				websocket.FormatCloseMessage(websocket.CloseGoingAway, "server closing"), time.Now().Add(time.Second))
			return
		}
	}
}

// eventOriginAllowed checks a browser Origin against the BI host's own
// origin (from the Host header), EventOrigins and every dashboard's allowed
// domains.
func (h *BIHost) eventOriginAllowed(r *http.Request, o string) bool {
	po, ok := parseOrigin(o)
	if !ok {
		return false
	}
	if strings.EqualFold(net.JoinHostPort(po.host, po.port), hostWithPort(r)) {
		return true
	}
	for _, e := range h.cfg.EventOrigins {
		if e == "*" {
			return true
		}
	}
	if ok, _ := allowedByList(o, h.cfg.EventOrigins); ok && len(h.cfg.EventOrigins) > 0 {
		return true
	}
	for _, d := range h.dash.all() {
		if len(d.AllowedDomains) == 0 {
			continue
		}
		if ok, _ := allowedByList(o, d.AllowedDomains); ok {
			return true
		}
	}
	return false
}

// hostWithPort returns the request's Host with an explicit port.
func hostWithPort(r *http.Request) string {
	host := strings.ToLower(r.Host)
	if h, p, err := net.SplitHostPort(host); err == nil {
		return net.JoinHostPort(h, p)
	}
	host = strings.Trim(host, "[]")
	if r.TLS != nil {
		return net.JoinHostPort(host, "443")
	}
	return net.JoinHostPort(host, "80")
}

// handleReport is POST /__dashembed/report: the embedded page tells the
// server what happened in the browser (handshakes, tokens received,
// rendering, auth errors), which joins the event feed.
func (h *BIHost) handleReport(w http.ResponseWriter, r *http.Request) {
	body, berr := readJSONObject(r)
	if berr != nil {
		berr.write(w)
		return
	}
	ev, _ := body["event"].(string)
	switch ev {
	case "handshake", "handshake_ignored", "handshake_refused", "token_received", "rendered", "auth_error", "data_mask":
	default:
		writeError(w, http.StatusBadRequest, schemaErrors{"event": []string{"Must be one of: handshake, handshake_ignored, handshake_refused, token_received, rendered, auth_error, data_mask."}})
		return
	}
	detail, _ := body["detail"].(map[string]any)
	if detail == nil {
		detail = map[string]any{}
	}
	if d, ok := body["dashboard"].(string); ok {
		detail["dashboard"] = d
	}
	h.events.publish("page_"+ev, detail)
	w.WriteHeader(http.StatusNoContent)
}
