# Regua — the two commands the README starts with, and the benchmark.
SWIFT ?= swift
# The shipped fixtures are written around this night (a Monday after the 20 Nov holiday).
AS_OF ?= 2026-11-23
REGUA = .build/debug/regua

.PHONY: deps build run test bench bench-years bench-shards format lint clean fuzz fuzz-build

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build --product regua

## make run: installs what is missing, builds, runs the night of $(AS_OF) on the shipped example.
run: build
	@status=0; $(REGUA) run --as-of $(AS_OF) || status=$$?; \
	if [ $$status -gt 1 ]; then exit $$status; fi; \
	echo "(exit $$status: 1 means some fixture rows were rejected on purpose; see out/$(AS_OF)/rejects.csv)"

## make test: the same set-up, the linter (a formatting or documentation finding fails the build),
## then the whole suite. The PostgreSQL tests must run there: a server that cannot start is a
## failure, not a skip.
test: export REGUA_REQUIRE_POSTGRES = 1
test:
	@scripts/install-deps.sh --test
	$(SWIFT) format lint --strict -r Sources Tests Package.swift
	$(SWIFT) build --product regua
	$(SWIFT) test

## make bench: release build, generated data sets, whole nights timed per stage (see BENCHMARKS.md).
bench: deps
	scripts/bench.sh

## make bench-years: release build, hundreds of consecutive nights on one ledger (see BENCHMARKS.md).
bench-years: deps
	scripts/bench.sh --years

## make bench-shards: release build, one 4M-title night in 1, 2 and 4 shards (SQLite; PostgreSQL with
## BENCH_PG_URL=postgres://… or BENCH_PG_START=1 for a private server; see BENCHMARKS.md).
bench-shards: deps
	scripts/bench.sh --shards

## make fuzz: libFuzzer + AddressSanitizer builds of the readers of untrusted input (Fuzz/), each run
## for $(FUZZ_SECONDS) s from the seeds in Fuzz/corpus/<target>/; findings go to Fuzz/crashes/ (git-ignored),
## inputs found along the way to Fuzz/work/<target>/ (git-ignored). Fails if any target found something.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= FuzzIngest FuzzRuleBook FuzzCNABReturn FuzzFeedback
# Seconds one input may take before libFuzzer calls it a hang, and the memory it may use.
FUZZ_TIMEOUT ?= 10
FUZZ_RSS_MB ?= 2048
FUZZ_FLAGS ?=
FUZZ_BUILD = .build-fuzz

fuzz-build: deps
	$(SWIFT) build --package-path Fuzz --scratch-path $(FUZZ_BUILD) -Xswiftc -sanitize=fuzzer,address

fuzz: fuzz-build
	@mkdir -p Fuzz/crashes; status=0; \
	for t in $(FUZZ_TARGETS); do \
	  mkdir -p Fuzz/work/$$t; echo "== $$t: $(FUZZ_SECONDS) s"; \
	  $(FUZZ_BUILD)/debug/$$t Fuzz/work/$$t Fuzz/corpus/$$t -max_total_time=$(FUZZ_SECONDS) \
	    -timeout=$(FUZZ_TIMEOUT) -rss_limit_mb=$(FUZZ_RSS_MB) -artifact_prefix=Fuzz/crashes/$$t- \
	    -print_final_stats=1 $(FUZZ_FLAGS) || status=1; \
	done; \
	if [ $$status -ne 0 ]; then echo "fuzz: findings in Fuzz/crashes/"; fi; exit $$status

## make format: swift-format with the committed .swift-format.
format:
	$(SWIFT) format -i -r Sources Tests Package.swift

## make lint: swift-format's linter with the committed .swift-format, failing on any finding
## (`make test` runs it first; `make format` fixes all but missing documentation comments).
lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift

clean:
	rm -rf .build .build-fuzz out var
