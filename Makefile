# kefu — `make run` starts a demo on SQLite, `make test` runs every test.

GO      ?= go
WEB     := web/console
WIDGET  := web/widget
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X kefu.Version=$(VERSION)

export CGO_ENABLED := 0

.PHONY: all build run test test-go test-web web bench bench-search clean

all: build

$(WEB)/node_modules/.installed: $(WEB)/package-lock.json
	cd $(WEB) && npm ci --no-audit --no-fund
	touch $@

$(WIDGET)/node_modules/.installed: $(WIDGET)/package-lock.json
	cd $(WIDGET) && npm ci --no-audit --no-fund
	touch $@

# The console (web/console/dist) and the chat widget (web/widget/dist) are
# built and embedded in the binary.
web: $(WEB)/node_modules/.installed $(WIDGET)/node_modules/.installed
	cd $(WEB) && npm run build
	cd $(WIDGET) && npm run build

build: web
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/kefu ./cmd/kefu

run: build
	./bin/kefu serve --demo

test: web test-go test-web

# Browser screenshots and other test artifacts land in test-output/.
test-go:
	$(GO) vet ./...
	mkdir -p test-output
	$(GO) test -count=1 -artifacts -outputdir $(CURDIR)/test-output ./...

# Front-end checks: every string translated, and the OpenAPI document valid
# according to a third-party linter.
test-web: $(WEB)/node_modules/.installed $(WIDGET)/node_modules/.installed
	cd $(WEB) && npm run check-i18n
	cd $(WIDGET) && npm run size
	cd $(WEB) && npx --no-install redocly lint --config ../../httpapi/redocly.yaml ../../httpapi/openapi.yaml

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./vault/ ./auth/

# Full-text search over 1,000,000 messages (KEFU_BENCH_MESSAGES to change); takes minutes to fill.
bench-search:
	$(GO) test -run '^$$' -bench SearchMessages -benchtime 20x -timeout 60m ./store/

clean:
	rm -rf bin $(WEB)/dist $(WIDGET)/dist
