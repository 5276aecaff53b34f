# quanze — two commands set up a fresh Debian 12 machine:
#   make run    install what is missing, build, create the demo, serve it
#   make test   install what is missing, build, run every test suite
# Other targets: build (compile only), web, deps, bench, fuzz, clean.
SHELL := /bin/bash
BUILD_DIR ?= build/release
DB ?= var/quanze.db
LISTEN ?= 127.0.0.1:8080
JOBS ?= $(shell nproc)
GENERATOR := $(shell command -v ninja >/dev/null 2>&1 && echo Ninja || echo "Unix Makefiles")
HAVE_WEB := $(wildcard web/package.json)
# Let ccache share results between clones in different folders (CI uses a fresh clone).
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := true

.PHONY: all deps build configure web web-test web-e2e run test unit unit-sqlite unit-postgres bench clean \
	fuzz fuzz-build fuzz-smoke

all: build

deps:
	@scripts/install-deps.sh $(if $(HAVE_WEB),--with-web)

configure:
	@if [ ! -f $(BUILD_DIR)/CMakeCache.txt ]; then \
	  cmake -S . -B $(BUILD_DIR) -G "$(GENERATOR)" -DCMAKE_BUILD_TYPE=RelWithDebInfo; \
	fi

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)
	@mkdir -p bin && cp -f $(BUILD_DIR)/src/cli/quanze bin/quanze
	@echo "built bin/quanze"

web:
ifneq ($(HAVE_WEB),)
	cd web && ( [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund )
	cd web && npm run build
	@find web/dist -type f \( -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.svg' -o -name '*.json' \) \
	  -size +1k -exec gzip -9 -k -f {} \;
endif

run: deps build web
	@mkdir -p $(dir $(DB))
	@if [ ! -f $(DB) ]; then bin/quanze demo --db $(DB); else bin/quanze demo --accounts; fi
	@echo "open http://$(LISTEN)/ (Ctrl-C to stop)"
	bin/quanze serve --db $(DB) --listen $(LISTEN) $(if $(HAVE_WEB),--web-root web/dist)

web-test:
ifneq ($(HAVE_WEB),)
	cd web && npm test
endif

web-e2e:
ifneq ($(HAVE_WEB),)
	cd web && QUANZE_BIN=$(CURDIR)/bin/quanze npm run e2e
endif

# Every ctest suite runs inside a throwaway PostgreSQL cluster (scripts/pg-test-cluster.sh,
# stopped afterwards): first all of them on SQLite (the store conformance suite and the
# *_pgtest programs also use the cluster), then the integration tests again with
# PostgreSQL as the database, less PG_EXCLUDE: the tests that edit the SQLite file itself
# or expect "sqlite" by name.
# TEST_PG=0 runs only the first pass, without PostgreSQL.
TEST_PG ?= 1
PG_EXCLUDE := Foundation.DemoRefusesToOverwriteWithoutForceAndForceStartsAFreshLog|Foundation.HealthReportsStatusVersionDatabaseAndLedgerSize|Ledger.LocalVerifyPassesOnAFreshDemoAndNamesATamperedEntry|Ledger.LocalVerifyDetectsATruncatedLog

unit:
ifeq ($(TEST_PG),1)
	scripts/pg-test-cluster.sh run $(MAKE) --no-print-directory unit-sqlite unit-postgres
else
	$(MAKE) --no-print-directory unit-sqlite
endif

unit-sqlite:
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 600

unit-postgres:
	cd $(BUILD_DIR) && QUANZE_TEST_BACKEND=postgres ctest --output-on-failure -j $(JOBS) --timeout 600 \
	  -L integration -E '$(PG_EXCLUDE)'

# libFuzzer targets (fuzz/, docs/fuzzing.md): clang-14 with ASan+UBSan in their own build
# directory; the g++ build above is not touched. `make fuzz` runs each target for
# FUZZ_SECONDS on its corpus (new inputs kept in $(FUZZ_DIR)/fuzz/work); `make test` replays
# every corpus and fuzzes each target for FUZZ_SMOKE_SECONDS (fuzz-smoke).
FUZZ_DIR ?= build/fuzz
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 10
FUZZ_TARGETS ?=

fuzz-build:
	@if [ ! -f $(FUZZ_DIR)/CMakeCache.txt ]; then \
	  CC=clang-14 CXX=clang++-14 cmake -S . -B $(FUZZ_DIR) -G "$(GENERATOR)" -DQUANZE_FUZZ=ON \
	    -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" -DCMAKE_C_FLAGS_DEBUG="-O1 -g" \
	    -DQUANZE_BUILD_TESTS=OFF -DQUANZE_BUILD_BENCH=OFF -DQUANZE_WERROR=OFF; \
	fi
	cmake --build $(FUZZ_DIR) --target fuzz_all -j $(JOBS)

fuzz: deps fuzz-build
	fuzz/run.sh $(FUZZ_DIR)/fuzz/bin $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-smoke: fuzz-build
	fuzz/run.sh --smoke $(FUZZ_DIR)/fuzz/bin $(FUZZ_SMOKE_SECONDS) $(FUZZ_TARGETS)

# Web suites first; ctest's summary closes the run.
test: deps build web web-test web-e2e fuzz-smoke unit

bench: build
	bench/run-all.sh

clean:
	rm -rf build bin web/dist
