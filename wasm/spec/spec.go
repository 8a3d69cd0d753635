// Package spec gathers, from the SDK's Go packages, every constant the
// JavaScript shell (wasm/loader) needs: the iframe's sandbox and allow
// lists, the uiConfig bits, the option names the fast path reads, the wire
// protocol's strings, the dashboard's methods, the error codes and names,
// the globals and the wasm's file name.
//
// The build (wasm/bundle) serves JSON() to the loader as the virtual module
// "dashembed:spec", imported with esbuild's JSON loader:
//
//	import { sandbox, allow } from 'dashembed:spec';
//
// Nothing generated is committed: the shell reads the Go values of the
// build that bundles it, so a list changed in Go changes in JavaScript too.
// Named imports of the top-level keys let esbuild leave out the ones a
// bundle does not use.
package spec

import (
	"encoding/json"

	"github.com/dashembed/dashembed/sdk/contract"
	"github.com/dashembed/dashembed/sdk/iframe"
	"github.com/dashembed/dashembed/sdk/jsvalue"
	"github.com/dashembed/dashembed/sdk/options"
	"github.com/dashembed/dashembed/sdk/protocol"
)

// WasmFile is the name of the SDK's wasm, which the build writes next to
// the loader's bundles and the loader fetches from there.
const WasmFile = "dashembed.wasm"

// Spec is the module's content; each field is a top-level key of the JSON.
type Spec struct {
	// WasmFile is the wasm's file name (WasmFile).
	WasmFile string `json:"wasmFile"`
	// Globals are the names a <script> tag defines (contract.Globals).
	Globals []string `json:"globals"`

	// Methods are the dashboard object's methods, in order (contract.Methods).
	Methods []Method `json:"methods"`
	// UnsubscribeMethod is the internal method the function returned by a
	// "subscribe" method calls with the subscription's id.
	UnsubscribeMethod string `json:"unsubscribeMethod"`
	// UnmountMethod is the method that removes the dashboard.
	UnmountMethod string `json:"unmountMethod"`
	// Events are the lifecycle events (contract.Events).
	Events []string `json:"events"`
	// ErrorEvent is the event that reports what the host app should show
	// (contract.EventError).
	ErrorEvent string `json:"errorEvent"`

	// Codes are every error code (contract.Codes).
	Codes []string `json:"codes"`
	// ErrorCodes are the codes of the Errors the shell itself throws.
	ErrorCodes ShellCodes `json:"errorCodes"`
	// LoadFailures are the messages of a WASM_LOAD_FAILED Error by reason
	// (LoadFailures); the Error's `reason` is the key.
	LoadFailures map[string]string `json:"loadFailures"`
	// ErrorName is the name of the SDK's Errors (contract.NameError).
	ErrorName string `json:"errorName"`
	// PortClosedErrorName is the name of a call cut off by navigation or
	// unmount (contract.NamePortClosed).
	PortClosedErrorName string `json:"portClosedErrorName"`

	// CommsType and Handshake are the fields of the window message that
	// hands the dashboard's document its port.
	CommsType string `json:"commsType"`
	Handshake string `json:"handshake"`
	// Actions are the switchboard's message kinds.
	Actions Actions `json:"actions"`
	// GuestTokenMethod is the method each guest token is emitted with.
	GuestTokenMethod string `json:"guestTokenMethod"`
	// MessageIDPrefix starts the id of every call the host makes; the n-th
	// call on a port has the id MessageIDPrefix + n (protocol.MessageID).
	MessageIDPrefix string `json:"messageIdPrefix"`

	// Sandbox and Allow are the iframe's base sandbox tokens and
	// permissions-policy directives (iframe.BaseSandbox, iframe.BaseAllow).
	Sandbox []string `json:"sandbox"`
	Allow   []string `json:"allow"`
	// UIFlags are the dashboardUiConfig switches summed into uiConfig.
	UIFlags []Flag `json:"uiFlags"`
	// ReferrerPolicies are the referrerPolicy values Go accepts, lower case,
	// "" among them (options.ReferrerPolicies).
	ReferrerPolicies []string `json:"referrerPolicies"`
	// DefaultTitle is the iframe's title when iframeTitle is absent.
	DefaultTitle string `json:"defaultTitle"`
	// DomainOptions are supersetDomain and its aliases, in the order Go
	// reads them (options.DomainOptions).
	DomainOptions []string `json:"domainOptions"`
	// UIConfigKeys are the keys dashboardUiConfig may have.
	UIConfigKeys []string `json:"uiConfigKeys"`
	// FilterKeys are the keys dashboardUiConfig.filters may have.
	FilterKeys []string `json:"filterKeys"`
	// AutoResizeKeys are the keys an autoResize object may have.
	AutoResizeKeys []string `json:"autoResizeKeys"`
	// MaxTimerMs is the longest timeout option Go accepts.
	MaxTimerMs int `json:"maxTimerMs"`
	// MaxKeys and MaxItems are how many keys of an object and items of an
	// array the browser edge copies for Go (jsvalue.MaxKeys, MaxItems).
	MaxKeys  int `json:"maxKeys"`
	MaxItems int `json:"maxItems"`
}

// Method is one method of the dashboard object: its name, its kind
// ("promise", "void", "subscribe" or "internal"; see contract.Kind), and
// whether it is a page method called with no arguments, which the loader
// may carry before Go is up (contract.Method.Bare).
type Method struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
	Bare bool   `json:"bare,omitempty"`
}

// ShellCodes are the error codes of the Errors the shell builds itself.
type ShellCodes struct {
	// WasmLoadFailed: the wasm could not be fetched or compiled.
	WasmLoadFailed string `json:"wasmLoadFailed"`
	// NoBrowser: embedDashboard was called where there is no document.
	NoBrowser string `json:"noBrowser"`
	// Internal: the Go program has exited.
	Internal string `json:"internal"`
	// PortClosed: a call waiting for the wasm when the dashboard was
	// unmounted.
	PortClosed string `json:"portClosed"`
	// Unmounted: the dashboard was unmounted before the wasm was up.
	Unmounted string `json:"unmounted"`
}

// Actions are the switchboard's values of switchboardAction.
type Actions struct {
	Get   string `json:"get"`
	Reply string `json:"reply"`
	Error string `json:"error"`
	Emit  string `json:"emit"`
}

// Flag is one uiConfig bit and the dashboardUiConfig option that sets it.
type Flag struct {
	Option string `json:"option"`
	Bit    int    `json:"bit"`
}

// New gathers the spec from the Go packages.
func New() Spec {
	s := Spec{
		WasmFile:            WasmFile,
		Globals:             contract.Globals,
		UnsubscribeMethod:   contract.MethodOff,
		UnmountMethod:       contract.MethodUnmount,
		Events:              contract.Events,
		ErrorEvent:          contract.EventError,
		Codes:               contract.Codes,
		ErrorName:           contract.NameError,
		LoadFailures:        LoadFailures,
		PortClosedErrorName: contract.NamePortClosed,
		ErrorCodes: ShellCodes{
			WasmLoadFailed: contract.CodeWasmLoadFailed,
			NoBrowser:      contract.CodeNoBrowser,
			Internal:       contract.CodeInternal,
			PortClosed:     contract.CodePortClosed,
			Unmounted:      contract.CodeUnmounted,
		},
		CommsType: protocol.CommsMessageType,
		Handshake: protocol.HandshakePortTransfer,
		Actions: Actions{
			Get: protocol.ActionGet, Reply: protocol.ActionReply,
			Error: protocol.ActionError, Emit: protocol.ActionEmit,
		},
		GuestTokenMethod: protocol.MethodGuestToken,
		MessageIDPrefix:  protocol.MessageIDPrefix,
		Sandbox:          iframe.BaseSandbox,
		Allow:            iframe.BaseAllow,
		ReferrerPolicies: options.ReferrerPolicies,
		DefaultTitle:     options.DefaultIframeTitle,
		DomainOptions:    options.DomainOptions,
		UIConfigKeys:     options.UIConfigKeys,
		FilterKeys:       options.FilterKeys,
		AutoResizeKeys:   options.AutoResizeKeys,
		MaxTimerMs:       options.MaxTimerMs,
		MaxKeys:          jsvalue.MaxKeys,
		MaxItems:         jsvalue.MaxItems,
	}
	for _, m := range contract.Methods {
		s.Methods = append(s.Methods, Method{Name: m.Name, Kind: string(m.Kind), Bare: m.Bare})
	}
	for _, f := range iframe.UIFlags {
		s.UIFlags = append(s.UIFlags, Flag{Option: f.Option, Bit: f.Bit})
	}
	return s
}

// JSON is the spec as the JSON module the loader imports.
func JSON() ([]byte, error) {
	return json.Marshal(New())
}
