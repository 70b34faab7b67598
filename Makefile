# Headroom. `make site` builds the example report; `make test` runs every test.
SHELL := bash
SWIFT ?= swift
APT_PACKAGES := libcmark-gfm-dev libcmark-gfm-extensions-dev pkg-config libsqlite3-dev zlib1g-dev
BROWSER_PACKAGES := chromium chromium-driver default-jre-headless prometheus
PYTHON ?= python3
VENV := .venv
BIN := .build/debug/headroom

.PHONY: deps browser-deps clock-deps build site gallery test test-clocks fuzz sanitize bench format lint clean

# System libraries, installed with apt-get when missing (needs root, as in CI).
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

# Chromium, its driver and Java (for the Nu HTML checker), and Prometheus (a real server on loopback
# for the Prometheus adapters) from Debian; Python test tools in .venv.
browser-deps:
	@missing=""; for p in $(BROWSER_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	@[ -x $(VENV)/bin/python ] || $(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/python -m pip install -q --disable-pip-version-check -r Tests/Python/requirements.txt

build: deps
	$(SWIFT) build

site: build
	$(BIN) build --config examples/acme/headroom.yml --output public
	@echo "Open file://$(CURDIR)/public/index.html"

# Every kind of chart, drawn from generated data, to look at in light, dark and print.
gallery: build
	$(BIN) gallery --output gallery

test: deps browser-deps clock-deps lint
	$(SWIFT) build
	$(SWIFT) test
	$(VENV)/bin/python -m pytest -q Tests/Python

# libfaketime and the locales the shifted runs and e2e/test_determinism.py use, from Debian.
CLOCK_LOCALES := tr_TR de_DE ar_EG
clock-deps:
	@missing=""; for p in faketime locales; do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	@for l in $(CLOCK_LOCALES); do locale -a | grep -qx "$$l.utf8" || { echo "$$l.UTF-8 UTF-8" >> /etc/locale.gen; stale=1; }; done; \
	[ -z "$${stale:-}" ] || locale-gen >/dev/null

# The fast part of the suite again under shifted clocks, zones and locales (after `make test`): the
# Swift suite (with the example's end-to-end build) and the collector and figure tests. Each line is
# a start time for libfaketime (its clock runs on from there), a TZ and a locale: another year; the
# minute before daylight saving starts in Berlin; and the first minutes of ISO week 2027-W01 (a
# Monday in New York and in UTC), whose previous week is 2026-W53.
CLOCKS := "2031-07-15 14:00:00|Asia/Kolkata|tr_TR.UTF-8" \
          "2027-03-28 01:59:00|Europe/Berlin|de_DE.UTF-8" \
          "2027-01-04 00:05:00|America/New_York|ar_EG.UTF-8"
test-clocks: deps browser-deps clock-deps
	$(SWIFT) build --build-tests
	@set -e; for clock in $(CLOCKS); do \
		IFS='|' read -r at zone locale <<< "$$clock"; \
		echo "== $$at in $$zone, $$locale"; \
		run() { TZ=$$zone LANG=$$locale LC_ALL=$$locale faketime -m "$$at" "$$@"; }; \
		seen=$$(run date -u +%Y-%m-%d); want=$$(TZ=$$zone date -u -d "$$at" +%Y-%m-%d); \
		[ "$$seen" = "$$want" ] || { echo "libfaketime is not in effect: $$seen, not $$want"; exit 1; }; \
		run $(SWIFT) test --skip-build; \
		run $(VENV)/bin/python -m pytest -q Tests/Python/e2e/test_collect.py Tests/Python/e2e/test_figures.py; \
	done

# Every libFuzzer target (FuzzTesting/) for FUZZ_SECONDS each, seeded with the fixtures; an input
# that crashes, leaks or hangs is saved in FuzzTesting/findings/<entry>/ and fails the run.
FUZZ_SECONDS ?= 30
fuzz: deps
	FuzzTesting/run $(FUZZ_SECONDS)

# The Swift suite under the address and the thread sanitiser, each in a build folder of its own
# (a full build each, so `make bench` runs it rather than CI). Leak reports are off: what
# LeakSanitizer finds is static storage and Foundation's own, not memory errors.
sanitize: deps
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build/asan
	ASAN_OPTIONS=detect_leaks=0 $(SWIFT) test --skip-build --sanitize=address --scratch-path .build/asan
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build/tsan
	$(SWIFT) test --skip-build --sanitize=thread --scratch-path .build/tsan

# Speed, size and growth targets on a release build (hyperfine, Hugo as the rendering anchor, and
# valgrind for instruction counts, from Debian).
bench: deps
	@missing=""; for p in hyperfine hugo valgrind; do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	scripts/bench.sh
	$(MAKE) sanitize

format:
	$(SWIFT) format --in-place --recursive Sources Tests Plugins Package.swift

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Plugins Package.swift

clean:
	rm -rf .build .venv public gallery examples/acme/public
