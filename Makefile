# The two set-up commands for a fresh machine are `make run` and `make test`; both install what
# is missing first (scripts/install-deps.sh: Debian -dev packages and a project-local Python venv).

SWIFT ?= swift
VENV ?= .venv
PYTHON := $(VENV)/bin/python
INTEROP_DIR ?= $(CURDIR)/.build/interop-out
ARGS ?= --help

.PHONY: deps build run test test-unit test-interop bench format lint

deps:
	@bash scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release --product laketap

run: build
	.build/release/laketap $(ARGS)

## Every test: Swift unit tests, then the interop matrix read back by pyarrow, DuckDB, Polars, Spark
## and fastparquet.
test: deps test-unit test-interop

test-unit:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

test-interop:
	$(SWIFT) build -c release --product parquet-interop-gen
	rm -rf "$(INTEROP_DIR)" && mkdir -p "$(INTEROP_DIR)"
	.build/release/parquet-interop-gen "$(INTEROP_DIR)"
	LAKETAP_INTEROP_DIR="$(INTEROP_DIR)" $(PYTHON) -m pytest Tests/Interop -q -p no:cacheprovider

bench: deps
	bash Benchmarks/run.sh

format:
	$(SWIFT) format --in-place --recursive Sources Tests Package.swift

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift
