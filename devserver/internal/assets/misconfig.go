package assets

import "path"

// Misconfig lists the ways a real BI host's static route commonly serves
// the SDK wrongly, so a host app can see the failure each one causes. The
// zero value serves correctly.
type Misconfig struct {
	// WasmType, when set, replaces application/wasm on .wasm files (a
	// server whose MIME table lacks it sends application/octet-stream).
	WasmType string
	// NoCORS drops Access-Control-Allow-Origin, as stock Superset's
	// /static/ route does.
	NoCORS bool
	// NoCompression serves every file uncompressed.
	NoCompression bool
}

// contentType is contentType with the WasmType override.
func (m Misconfig) contentType(name string) string {
	if m.WasmType != "" && path.Ext(name) == ".wasm" {
		return m.WasmType
	}
	return contentType(name)
}
