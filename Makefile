# The two set-up commands for a fresh machine are `make run` and `make test`; both install what
# is missing first (scripts/install-deps.sh: Debian -dev packages and a project-local Python venv).

SWIFT ?= swift
VENV ?= .venv
PYTHON := $(VENV)/bin/python
INTEROP_DIR ?= $(CURDIR)/.build/interop-out
ARGS ?= serve

FUZZ_SECONDS ?= 20

## Release builds link the Swift runtime and Foundation statically: the binary runs on a machine
## without the Swift toolchain, and starts in 12 ms instead of 17 (no dynamic linking of ~20 Swift
## libraries). Every release build here takes the same flags: a build with other flags in
## .build/release compiles every module again.
RELEASE := -c release --static-swift-stdlib

.PHONY: deps build run test test-unit test-interop test-service test-fuzz fuzz bench format lint

deps:
	@bash scripts/install-deps.sh

build: deps
	$(SWIFT) build $(RELEASE) --product laketap

run: build
	.build/release/laketap $(ARGS)

## Every test: Swift unit tests; the interop matrix read back by pyarrow, DuckDB, Polars, Spark,
## fastparquet and our own reader; the parquet-testing conformance corpus; the service end to end
## (real binary, real HTTP, moto S3 with SigV4 checking, kill -9 crash test); a short fuzzing pass.
test: deps lint test-unit test-fuzz test-interop test-service

test-unit:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## The interop and service tests run the debug laketap that test-unit built: a second, release build
## of the server dependencies (NIO, BoringSSL, Hummingbird, AsyncHTTPClient) would add ~12 minutes to
## a cold CI run for tests that check behaviour, not speed (`make bench` measures the release build).
test-interop:
	$(SWIFT) build $(RELEASE) --product parquet-interop-gen
	$(SWIFT) build --product laketap
	rm -rf "$(INTEROP_DIR)" && mkdir -p "$(INTEROP_DIR)"
	.build/release/parquet-interop-gen "$(INTEROP_DIR)"
	LAKETAP_INTEROP_DIR="$(INTEROP_DIR)" LAKETAP_BIN="$(CURDIR)/.build/debug/laketap" \
		$(PYTHON) -m pytest Tests/Interop -q -p no:cacheprovider

test-service:
	$(SWIFT) build --product laketap
	LAKETAP_BIN="$(CURDIR)/.build/debug/laketap" LAKETAP_VENV="$(CURDIR)/$(VENV)" \
		$(PYTHON) -m pytest Tests/Service -q -p no:cacheprovider

## A short bounded fuzzing pass over the reader and the Thrift decoder (`make fuzz` runs long).
test-fuzz:
	bash scripts/fuzz.sh $(FUZZ_SECONDS)

fuzz:
	bash scripts/fuzz.sh 600

bench: deps
	bash Benchmarks/run.sh

format:
	$(SWIFT) format --in-place --recursive Sources Tests Package.swift

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift
