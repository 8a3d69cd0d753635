// Package data is what every demo dashboard shows and the API the embedded
// page reads it through, with the guest token's row-level security applied
// as Superset applies it.
//
// The Store is an in-memory SQLite database seeded deterministically (orders
// by tenant, region, product and month; sales targets), so tests can assert
// exact sums, or loaded by OpenSources with a configuration's own datasets
// (CSV files, tables of SQLite files, SQL views) and charts; either way it
// is read-only once open, so an RLS clause can never change it. The
// embedded page, holding a guest token, asks the API for the dashboard
// (charts, native filters, tabs), a filter's options and each chart's data.
// A guest queries data only in the context of a dashboard its token grants,
// as Superset allows: form_data names the dashboard and either one of its
// charts reading the request's dataset or one of its native filters
// targeting it (guestaccess.go); anything else is Superset's 403. The
// dashboard endpoints answer in Superset's shapes (shapes.go), which the
// embedded page reads as Superset's frontend does.
//
// A chart-data request names a chart and carries the native filters; the
// handler combines them with the token's applicable RLS clauses into one
// WHERE (each filter parameterised, each clause checked alone and
// parenthesised, all AND-ed), runs the chart's query and answers Superset's
// result shape plus the effective WHERE and an SVG rendering, which the page
// shows. A broken clause is the host backend's mistake and answers 400 naming
// it, never 500. The WHERE in force is noted for the event feed.
package data
