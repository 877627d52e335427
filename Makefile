# BLS — build, test and run. `make test` is what CI runs (see .ci/run).
SWIFT      ?= swift
CONFIG     ?= release
BLS_PORT   ?= 3100
DEBIAN_PKGS = libsecp256k1-dev libsqlite3-dev libssl-dev libpq-dev pkg-config nginx-light spawn-fcgi libfcgi-bin sqlite3

.PHONY: all build release test run deps check-deps format lint bench clean

all: build

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release

## test: build everything (the integration tests start the real bls-fcgi and nginx) and run
## every test suite.
test: check-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## deps: install the Debian packages BLS needs (root), or print the command to run.
deps:
	@missing=""; for p in $(DEBIAN_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then echo "deps: all Debian packages present"; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; \
	else echo "deps: missing:$$missing"; echo "run: sudo apt-get update && sudo apt-get install -y$$missing"; exit 1; fi

check-deps:
	@missing=""; for p in $(DEBIAN_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "missing Debian packages:$$missing — run 'make deps' (as root)"; exit 1; fi

## run: install what is missing, build in release mode and start the whole stack on BLS_PORT.
run: deps
	$(SWIFT) build -c $(CONFIG)
	@./scripts/dev-run.sh "$$($(SWIFT) build -c $(CONFIG) --show-bin-path)/bls-fcgi"

format:
	$(SWIFT) format --in-place --recursive Package.swift Plugins Sources Tests

lint:
	$(SWIFT) format lint --recursive Package.swift Plugins Sources Tests

clean:
	rm -rf .build .build-*

## bench: end-to-end benchmark (see BENCHMARKS.md); pass options with BENCH_ARGS="-d 10".
bench:
	bench/run.sh $(BENCH_ARGS)

## fuzz: build the libFuzzer targets (Fuzz/, never part of `swift build`) and run each for
## FUZZ_SECONDS (default 60); fails if any target crashes. CI: FUZZ_SECONDS=30 make fuzz.
.PHONY: fuzz
fuzz:
	Fuzz/run.sh
