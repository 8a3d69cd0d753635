# Each target is a thin wrapper over go commands; see README.md.
GO       ?= go
WASMEXEC := $(shell $(GO) env GOROOT)/lib/wasm/go_js_wasm_exec
UNIT_PKGS = $(shell $(GO) list ./... | grep -v /e2e)

.PHONY: dev dist test unit wasmtest e2e vet bench

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
	$(GO) test -count=1 -timeout 20m ./e2e/...

# Our SDK against @superset-ui/embedded-sdk in one headless Chromium run, and
# the dev server under load; prints a table and writes BENCHMARKS.md.
bench:
	$(GO) run ./bench/cmd/bench
