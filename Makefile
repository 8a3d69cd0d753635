# Each target is a thin wrapper over go commands; see README.md.
GO       ?= go
WASMEXEC := $(shell $(GO) env GOROOT)/lib/wasm/go_js_wasm_exec
UNIT_PKGS = $(shell $(GO) list ./... | grep -v /e2e)

.PHONY: dev dist test unit wasmtest e2e vet bench fuzz

# The mock BI host and the demo host app, serving a fresh build of the SDK.
dev: dist
	$(GO) run ./devserver/cmd/dashembed-dev -dist dist

# The npm package's built files (the wasm and the loader bundles) in dist/.
dist:
	$(GO) run ./wasm/cmd/dist -out dist

# Every test: pure Go with the race detector, the wasm edge under Node, and
# the end-to-end suite in headless Chromium.
test: vet unit wasmtest e2e

vet:
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./sdk/... ./wasm/...

unit:
	$(GO) test -race $(UNIT_PKGS)

wasmtest:
	GOOS=js GOARCH=wasm $(GO) test -exec="$(WASMEXEC)" ./sdk/...

e2e:
	$(GO) test -count=1 -timeout 30m ./e2e/...

# Every Go fuzz target (a func Fuzz… in a _test.go file) for FUZZTIME each. A
# failing input is written to its package's testdata/fuzz/, where plain
# `go test` replays it from then on: commit it with the fix. Go's fuzzing
# coordinator can fail a run with a bare "context deadline exceeded" when
# -fuzztime ends while a worker is busy (golang/go#75804): such a run, with
# no failing input written, is run once more, and fails the second time.
FUZZTIME ?= 15s
fuzz:
	@set -e; for file in $$(grep -rl --include='*_test.go' --exclude-dir=node_modules '^func Fuzz' .); do \
	  for target in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$file); do \
	    echo "$$target ($$(dirname $$file)), $(FUZZTIME):"; \
	    run() { $(GO) test -run "^$$target\$$" -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) ./$$(dirname $$file) 2>&1; }; \
	    out=$$(run) || { \
	      echo "$$out" | grep -q 'context deadline exceeded' && ! echo "$$out" | grep -q 'Failing input written' && \
	        echo "  the fuzzing deadline cut a worker off, with no failing input: once more" && out=$$(run); \
	    } || { echo "$$out"; exit 1; }; \
	    echo "$$out" | tail -n 3; \
	  done; \
	done

# Our SDK against @superset-ui/embedded-sdk in one headless Chromium run (the
# lab, and the field: a heavy dashboard behind one shaped link), and the dev
# server under load; prints a table and writes BENCHMARKS.md. Flags go in
# BENCHFLAGS, e.g. make bench BENCHFLAGS='-field-runs 3'.
BENCHFLAGS ?=
bench:
	$(GO) run ./bench/cmd/bench $(BENCHFLAGS)
