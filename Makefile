# Regua — the two commands the README starts with, and the benchmark.
SWIFT ?= swift
# The shipped fixtures are written around this night (a Monday after the 20 Nov holiday).
AS_OF ?= 2026-11-23
REGUA = .build/debug/regua

.PHONY: deps build run test bench bench-years format clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build --product regua

## make run: installs what is missing, builds, runs the night of $(AS_OF) on the shipped example.
run: build
	@status=0; $(REGUA) run --as-of $(AS_OF) || status=$$?; \
	if [ $$status -gt 1 ]; then exit $$status; fi; \
	echo "(exit $$status: 1 means some fixture rows were rejected on purpose; see out/$(AS_OF)/rejects.csv)"

## make test: the same set-up, then the whole suite.
test:
	@scripts/install-deps.sh --test
	$(SWIFT) build --product regua
	$(SWIFT) test

## make bench: release build, generated data sets, whole nights timed per stage (see BENCHMARKS.md).
bench: deps
	scripts/bench.sh

## make bench-years: release build, hundreds of consecutive nights on one ledger (see BENCHMARKS.md).
bench-years: deps
	scripts/bench.sh --years

## make format: swift-format with the committed .swift-format.
format:
	$(SWIFT) format -i -r Sources Tests Package.swift

clean:
	rm -rf .build out var
