package devcontrols

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dashembed/dashembed/devserver/internal/apijson"
)

// Faults are failures the BI host injects on purpose, so a host app can see
// how its embed behaves when the BI side misbehaves. The zero value injects
// nothing.
type Faults struct {
	// TokenLifetime shortens (or lengthens) the lifetime of minted guest
	// tokens.
	TokenLifetime time.Duration `json:"token_lifetime,omitempty"`
	// GuestTokenFail makes the next N guest-token calls answer 503.
	GuestTokenFail int `json:"guest_token_fail,omitempty"`
	// GuestTokenHang makes guest-token calls hang this long (or until the
	// client gives up) before answering 504.
	GuestTokenHang time.Duration `json:"guest_token_hang,omitempty"`
	// NoHandshake makes embedded pages ignore the port transfer, so the host
	// never gets a working channel.
	NoHandshake bool `json:"no_handshake,omitempty"`
	// API401 makes the next N guest-token-authenticated API calls answer 401.
	API401 int `json:"api_401,omitempty"`
	// Slow delays every response by this much.
	Slow time.Duration `json:"slow,omitempty"`
	// DropFraming sends embedded pages without any framing header.
	DropFraming bool `json:"drop_framing,omitempty"`
}

// faultNames are the keys of the fault spec syntax, in the order String
// writes them.
var faultNames = []string{"token_lifetime", "guest_token_fail", "guest_token_hang", "no_handshake", "api_401", "slow", "drop_framing"}

// ParseFaults reads the ?faults= syntax: comma-separated key=value items,
// booleans written as a bare key, durations in Go syntax ("10s", "500ms") or
// as plain seconds. Example: "token_lifetime=20s,guest_token_fail=2,slow=300ms".
func ParseFaults(spec string) (Faults, error) {
	var f Faults
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		k, v, hasV := strings.Cut(item, "=")
		k = strings.TrimSpace(k)
		v = strings.TrimSpace(v)
		var err error
		switch k {
		case "token_lifetime":
			f.TokenLifetime, err = parseFaultDuration(v)
		case "guest_token_fail":
			f.GuestTokenFail, err = parseFaultCount(v, hasV)
		case "guest_token_hang":
			f.GuestTokenHang, err = parseFaultDuration(v)
		case "no_handshake":
			f.NoHandshake, err = parseFaultBool(v, hasV)
		case "api_401":
			f.API401, err = parseFaultCount(v, hasV)
		case "slow":
			f.Slow, err = parseFaultDuration(v)
		case "drop_framing":
			f.DropFraming, err = parseFaultBool(v, hasV)
		default:
			return Faults{}, fmt.Errorf("unknown fault %q (known: %s)", k, strings.Join(faultNames, ", "))
		}
		if err != nil {
			return Faults{}, fmt.Errorf("fault %s: %v", k, err)
		}
	}
	return f, nil
}

// String writes f in the ?faults= syntax.
func (f Faults) String() string {
	var parts []string
	add := func(k, v string) { parts = append(parts, k+"="+v) }
	if f.TokenLifetime != 0 {
		add("token_lifetime", f.TokenLifetime.String())
	}
	if f.GuestTokenFail != 0 {
		add("guest_token_fail", strconv.Itoa(f.GuestTokenFail))
	}
	if f.GuestTokenHang != 0 {
		add("guest_token_hang", f.GuestTokenHang.String())
	}
	if f.NoHandshake {
		parts = append(parts, "no_handshake")
	}
	if f.API401 != 0 {
		add("api_401", strconv.Itoa(f.API401))
	}
	if f.Slow != 0 {
		add("slow", f.Slow.String())
	}
	if f.DropFraming {
		parts = append(parts, "drop_framing")
	}
	return strings.Join(parts, ",")
}

// parseFaultDuration accepts "10s" or a plain number of seconds.
func parseFaultDuration(v string) (time.Duration, error) {
	if n, err := strconv.ParseFloat(v, 64); err == nil {
		if n < 0 {
			return 0, fmt.Errorf("negative duration %q", v)
		}
		return time.Duration(n * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration like 10s or 500ms", v)
	}
	if d < 0 {
		return 0, fmt.Errorf("negative duration %q", v)
	}
	return d, nil
}

// parseFaultCount accepts a non-negative integer; a bare key means 1.
func parseFaultCount(v string, hasV bool) (int, error) {
	if !hasV {
		return 1, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%q is not a count", v)
	}
	return n, nil
}

// parseFaultBool accepts a bare key (true) or true/false/1/0.
func parseFaultBool(v string, hasV bool) (bool, error) {
	if !hasV {
		return true, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%q is not true or false", v)
	}
	return b, nil
}

// faultState is the BI host's current faults, set through the control
// endpoints. Counters go down as faults fire.
type faultState struct {
	mu sync.Mutex
	f  Faults
}

// get returns a copy of the current faults.
func (s *faultState) get() Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.f
}

// set replaces the current faults.
func (s *faultState) set(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.f = f
}

// take decrements the counter chosen by pick and reports whether it fired,
// with how many remain.
func (s *faultState) take(pick func(*Faults) *int) (bool, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := pick(&s.f)
	if *p <= 0 {
		return false, 0
	}
	*p--
	return true, *p
}

// Faults returns the faults in force for every request.
func (c *Controls) Faults() Faults { return c.faults.get() }

// SetFaults replaces the faults in force.
func (c *Controls) SetFaults(f Faults) { c.faults.set(f) }

// TokenLifetime is the lifetime override for minted guest tokens, 0 for none.
func (c *Controls) TokenLifetime() time.Duration { return c.faults.get().TokenLifetime }

// TakeAPI401 fires the api_401 fault if any remain, reporting whether it
// fired and how many are left.
func (c *Controls) TakeAPI401() (bool, int) {
	return c.faults.take(func(f *Faults) *int { return &f.API401 })
}

// RequestFaults returns the faults of the ?faults= parameter of r; a bad
// spec is reported so the caller can answer 400.
func RequestFaults(r *http.Request) (Faults, error) {
	spec := r.URL.Query().Get("faults")
	if spec == "" {
		return Faults{}, nil
	}
	return ParseFaults(spec)
}

// requestFaults reads the request's own ?faults=, answering 400 when the
// spec is malformed.
func requestFaults(w http.ResponseWriter, r *http.Request) (Faults, bool) {
	local, err := RequestFaults(r)
	if err != nil {
		apijson.WriteError(w, http.StatusBadRequest, "Bad faults parameter: "+err.Error())
		return Faults{}, false
	}
	return local, true
}

// duration is the duration fault pick reads: the request's own when it sets
// one, else the global one.
func (c *Controls) duration(local Faults, pick func(Faults) time.Duration) time.Duration {
	if d := pick(local); d != 0 {
		return d
	}
	return pick(c.faults.get())
}

// sleep waits d, or until the client gives up; it reports whether d ran out.
// net/http notices a client that went away only once the request body has
// been read, so callers read it first.
func sleep(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// GuestTokenFault fires the guest-token faults (global and the request's
// own ?faults=). It reports whether it answered the request.
func (c *Controls) GuestTokenFault(w http.ResponseWriter, r *http.Request) bool {
	local, ok := requestFaults(w, r)
	if !ok {
		return true
	}
	if hang := c.duration(local, func(f Faults) time.Duration { return f.GuestTokenHang }); hang > 0 {
		// Drain the body, so that r.Context() ends when the client gives up
		// instead of holding the connection for the whole hang.
		_, _ = io.Copy(io.Discard, r.Body)
		c.Publish("fault", map[string]any{"fault": "guest_token_hang", "duration": hang.String()})
		if sleep(r, hang) {
			apijson.WriteError(w, http.StatusGatewayTimeout, fmt.Sprintf("Injected fault guest_token_hang: the guest-token endpoint hung for %s", hang))
		}
		return true
	}
	fired, left := c.faults.take(func(f *Faults) *int { return &f.GuestTokenFail })
	if fired || local.GuestTokenFail > 0 {
		c.Publish("fault", map[string]any{"fault": "guest_token_fail", "remaining": left})
		apijson.WriteError(w, http.StatusServiceUnavailable, fmt.Sprintf("Injected fault guest_token_fail: the guest-token endpoint failed on purpose (%d more to come)", left))
		return true
	}
	return false
}

// SlowFault delays the response when the slow fault is set, globally or in
// the request's ?faults=. It returns false when the client went away or the
// parameter is malformed (and then it has answered).
func (c *Controls) SlowFault(w http.ResponseWriter, r *http.Request) bool {
	local, ok := requestFaults(w, r)
	if !ok {
		return false
	}
	d := c.duration(local, func(f Faults) time.Duration { return f.Slow })
	if d <= 0 {
		return true
	}
	// Read the body now (the handler gets it back from memory), so that a
	// client giving up during the delay is noticed.
	if r.Body != nil {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			apijson.WriteError(w, http.StatusRequestEntityTooLarge, "Request body too large or unreadable: "+err.Error())
			return false
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	return sleep(r, d)
}

// HandleFaultsGet is GET /__dashembed/faults: the current faults, both as
// fields and in the ?faults= syntax.
func (c *Controls) HandleFaultsGet(w http.ResponseWriter, r *http.Request) {
	apijson.Write(w, http.StatusOK, faultsView(c.faults.get()))
}

// faultsView renders faults for the control API.
func faultsView(f Faults) map[string]any {
	return map[string]any{
		"spec":             f.String(),
		"token_lifetime":   durationOrNil(f.TokenLifetime),
		"guest_token_fail": f.GuestTokenFail,
		"guest_token_hang": durationOrNil(f.GuestTokenHang),
		"no_handshake":     f.NoHandshake,
		"api_401":          f.API401,
		"slow":             durationOrNil(f.Slow),
		"drop_framing":     f.DropFraming,
	}
}

// durationOrNil writes a duration as Go text, or null when zero.
func durationOrNil(d time.Duration) any {
	if d == 0 {
		return nil
	}
	return d.String()
}

// HandleFaultsSet is POST /__dashembed/faults: replace the faults, either
// from ?faults=<spec> or from a JSON object with the same keys (durations as
// strings like "10s" or numbers of seconds, counts as numbers, booleans).
func (c *Controls) HandleFaultsSet(w http.ResponseWriter, r *http.Request) {
	spec := r.URL.Query().Get("faults")
	if spec == "" && r.ContentLength != 0 {
		body, berr := apijson.ReadObject(r)
		if berr != nil {
			berr.Write(w)
			return
		}
		if s, ok := body["spec"].(string); ok {
			spec = s
		} else {
			keys := make([]string, 0, len(body))
			for k := range body {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			var parts []string
			for _, k := range keys {
				switch v := body[k].(type) {
				case string:
					parts = append(parts, k+"="+v)
				case bool:
					parts = append(parts, k+"="+strconv.FormatBool(v))
				case nil:
				default:
					parts = append(parts, fmt.Sprintf("%s=%v", k, v))
				}
			}
			spec = strings.Join(parts, ",")
		}
	}
	f, err := ParseFaults(spec)
	if err != nil {
		apijson.WriteError(w, http.StatusBadRequest, "Bad faults: "+err.Error())
		return
	}
	c.faults.set(f)
	c.cfg.Log.Info("faults set", "faults", f.String())
	c.Publish("fault", map[string]any{"set": f.String()})
	apijson.Write(w, http.StatusOK, faultsView(f))
}

// HandleFaultsClear is DELETE /__dashembed/faults.
func (c *Controls) HandleFaultsClear(w http.ResponseWriter, r *http.Request) {
	c.faults.set(Faults{})
	c.Publish("fault", map[string]any{"set": ""})
	apijson.Write(w, http.StatusOK, faultsView(Faults{}))
}
