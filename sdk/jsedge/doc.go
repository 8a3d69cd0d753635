// Package jsedge is the SDK's browser edge: the only code that touches
// JavaScript (through the safejs wrapper of syscall/js, in *_js.go files built for
// js/wasm). It translates and decides nothing:
//
//	loader (wasm/loader) ──glue──▶ serve: embed, call ──▶ dashboard.Open / dashboard.Call
//	embed.Embed ──Browser──▶ browser, frame: the DOM, MessageChannels, timers
//
// JavaScript values are copied into jsvalue trees before any Go package
// looks at them (convert); Promises and listeners are closures made by the
// loader's glue and routed to Go by integer id (glue), so that an embed
// creates no js.Func of its own. Every entry from JavaScript recovers a
// panic into a rejected Promise: an unrecovered one would end the Go
// program for every embed on the page.
package jsedge
