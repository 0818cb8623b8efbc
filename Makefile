# Polku — the two commands: `make run` and `make test`. Everything else supports them.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CARGO ?= cargo
NPM ?= npm
POLKU_LISTEN ?= 127.0.0.1:8080

FRONTEND_SRC := $(shell find frontend/src frontend/index.html frontend/vite.config.ts frontend/public -type f 2>/dev/null)

.PHONY: help run test bench fmt lint openapi openapi-check schema frontend-deps e2e-deps system-deps \
        rust-checks rust-tests frontend-checks e2e compose-check clean

help:
	@echo "make run    build everything needed and serve Polku on http://$(POLKU_LISTEN)/"
	@echo "make test   every check and test (Rust, OpenAPI drift, frontend, browser, compose)"
	@echo "make bench  benchmarks under bench/"
	@echo "make fmt | lint | openapi | clean"

## ---- run -------------------------------------------------------------------------------

run: frontend/dist/index.html
	$(CARGO) build --release --locked --bin polku
	POLKU_LISTEN=$(POLKU_LISTEN) ./target/release/polku serve --demo

frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && $(NPM) ci --no-audit --no-fund
	@touch $@

frontend-deps: frontend/node_modules/.package-lock.json

frontend/dist/index.html: frontend/node_modules/.package-lock.json openapi/openapi.json $(FRONTEND_SRC)
	cd frontend && $(NPM) run build

## ---- test ------------------------------------------------------------------------------

test: rust-checks openapi-check rust-tests frontend-checks e2e compose-check
	@echo "make test: all checks passed"

rust-checks:
	python3 tools/check_layers.py backend/src
	$(CARGO) fmt --all --check
	$(CARGO) clippy --locked --workspace --all-targets -- -D warnings

# The API tests start their own throwaway PostgreSQL unless DATABASE_URL is set.
rust-tests:
	$(CARGO) test --locked --workspace

openapi-check:
	$(CARGO) run --locked --quiet --bin polku -- openapi > target/openapi.generated.json
	@diff -u openapi/openapi.json target/openapi.generated.json \
	  || { echo "openapi/openapi.json is stale: run 'make openapi' and commit it"; exit 1; }

frontend-checks: frontend-deps
	cd frontend && $(NPM) run typecheck && $(NPM) run lint && $(NPM) test

tests/e2e/node_modules/.package-lock.json: tests/e2e/package-lock.json
	cd tests/e2e && $(NPM) ci --no-audit --no-fund
	@touch $@

e2e-deps: tests/e2e/node_modules/.package-lock.json

# Browser tests: Debian's Chromium against a real `polku serve` with an embedded database.
e2e: system-deps e2e-deps frontend/dist/index.html
	$(CARGO) build --locked --bin polku
	tests/e2e/run.sh target/debug/polku

# Validated offline (no Docker engine needed); the passwords are placeholders for the check.
compose-check: system-deps
	POSTGRES_PASSWORD=x POLKU_OWNER_PASSWORD=x POLKU_APP_PASSWORD=x docker-compose -f docker-compose.yml config -q
	@echo "docker-compose.yml is valid"

# Debian packages the tests need (installed when missing; CI runs as root).
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v docker-compose >/dev/null || missing="$$missing docker-compose"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Missing Debian packages:$$missing — run: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

## ---- helpers ---------------------------------------------------------------------------

bench: frontend/dist/index.html
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq wrk >/dev/null; } \
	  || { echo "bench needs wrk: sudo apt-get install wrk"; exit 1; }
	bench/startup.sh
	bench/auth.py
	bench/access_log.py
	bench/clients.py
	bench/periods.py
	bench/attendance.py

fmt:
	$(CARGO) fmt --all
	cd frontend && $(NPM) exec -- eslint . --fix

lint: rust-checks
	cd frontend && $(NPM) run lint

openapi:
	$(CARGO) run --locked --quiet --bin polku -- openapi > openapi/openapi.json
	@echo "openapi/openapi.json regenerated"

# Regenerates backend/src/schema.rs (needs diesel_cli: cargo install diesel_cli
# --no-default-features --features postgres) from a scratch embedded database.
schema:
	$(CARGO) build --locked --bin polku
	@tmp=$$(mktemp -d /tmp/polku-schema-XXXXXX); chmod 755 $$tmp; \
	POLKU_DATA_DIR=$$tmp/data POLKU_LISTEN=127.0.0.1:0 POLKU_LOG=warn ./target/debug/polku serve >$$tmp/log 2>&1 & pid=$$!; \
	for i in $$(seq 1 100); do [ -S $$tmp/data/run/.s.PGSQL.5432 ] && grep -q running $$tmp/log 2>/dev/null && break; sleep 0.2; done; \
	diesel print-schema --database-url "postgresql://polku_owner@localhost/polku?host=$$tmp/data/run" > backend/src/schema.rs; status=$$?; \
	kill -TERM $$pid; wait $$pid; rm -rf $$tmp; exit $$status

clean:
	$(CARGO) clean
	rm -rf frontend/dist frontend/node_modules tests/e2e/node_modules
