# Headroom. `make site` builds the example report; `make test` runs every test.
SWIFT ?= swift
APT_PACKAGES := libcmark-gfm-dev libcmark-gfm-extensions-dev pkg-config
BROWSER_PACKAGES := chromium chromium-driver default-jre-headless
PYTHON ?= python3
VENV := .venv
BIN := .build/debug/headroom

.PHONY: deps browser-deps build site gallery test bench format lint clean

# System libraries, installed with apt-get when missing (needs root, as in CI).
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

# Chromium, its driver and Java (for the Nu HTML checker) from Debian; Python test tools in .venv.
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

test: deps browser-deps lint
	$(SWIFT) build
	$(SWIFT) test
	$(VENV)/bin/python -m pytest -q Tests/Python

# Speed targets on a release build (hyperfine from Debian).
bench: deps
	@dpkg -s hyperfine >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine)
	scripts/bench.sh

format:
	$(SWIFT) format --in-place --recursive Sources Tests Plugins Package.swift

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Plugins Package.swift

clean:
	rm -rf .build .venv public gallery examples/acme/public
