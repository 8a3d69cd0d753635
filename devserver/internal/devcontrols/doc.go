// Package devcontrols holds the dev server's own levers and its window onto
// the mock BI host: the faults a developer injects on purpose, and the event
// feed that shows what the host saw.
//
// Faults flow in: from the control endpoints (/__dashembed/faults, which the
// demo host app's panel and tests call), from a request's own ?faults=
// parameter, or from SetFaults. The other packages ask Controls whether one
// fires where the real product could fail: the guest-token call fails or
// hangs (GuestTokenFault), tokens get a shorter life (TokenLifetime), the
// embedded page's API answers 401 (TakeAPI401), every response is slow
// (SlowFault). Counted faults go down as they fire.
//
// Events flow out: every package publishes what it did (tokens minted, pages
// loaded, API calls with the RLS in force, faults, reloads), the embedded
// page reports what happened in the browser through /__dashembed/report,
// and /__dashembed/events streams the recent backlog, a "live" marker and
// then each new event to websocket clients such as the demo host app's side
// panel. A client too slow to keep up loses events rather than stalling the
// host.
package devcontrols
