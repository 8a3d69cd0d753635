package embed

import (
	"strconv"
	"time"

	"github.com/dashembed/dashembed/sdk/protocol"
)

// debug writes one line to the debug log, when the debug option is on. The
// parts are joined as they are: the log is hot in debug mode and fmt would
// cost the wasm build dearly.
func (e *Embed) debug(parts ...string) {
	if !e.p.Debug {
		return
	}
	line := e.logPrefix()
	for _, p := range parts {
		line += p
	}
	e.b.Log(line)
}

// logPrefix names the embed in every log line, since a page may hold many.
func (e *Embed) logPrefix() string { return "[dashembed][dashboard " + e.p.ID + "] " }

func millis(d time.Duration) string { return strconv.FormatInt(d.Milliseconds(), 10) + " ms" }

// PanicText is what a recovered panic value says, for an error message.
func PanicText(v any) string {
	switch v := v.(type) {
	case error:
		return v.Error()
	case string:
		return v
	}
	return "unexpected panic"
}

// describe names a message for the debug log: action, method, id.
func describe(m protocol.Message) string {
	s := m.Action
	for _, part := range []string{m.Method, m.MessageID} {
		if part != "" {
			s += " " + part
		}
	}
	return s
}
