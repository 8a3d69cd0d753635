// Package dashboard is the object embedDashboard resolves to, in pure Go:
// opening an embed from the caller's options, the methods listed in
// contract.Methods with their arguments checked and wrapped as the page
// expects, and how each Go error looks to JavaScript.
//
//	JavaScript call ──jsedge──▶ Call(method, args) ──▶ embed.Embed ──▶ page
//	                                    │
//	                                    └──▶ a value, an error to throw, or a Promise's outcome
//
// The browser edge turns JavaScript arguments into Args and carries the
// outcome back; every rule (which methods exist, what they accept, which
// return a Promise) is here.
package dashboard
