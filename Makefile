# Headroom. `make site` builds the example report; `make test` runs every test.
SWIFT ?= swift
APT_PACKAGES := libcmark-gfm-dev libcmark-gfm-extensions-dev pkg-config
BROWSER_PACKAGES := chromium chromium-driver
PYTHON ?= python3
BIN := .build/debug/headroom

.PHONY: deps browser-deps build site test test-swift test-browser test-generator format lint clean

# System libraries, installed with apt-get when missing (needs root, as in CI).
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

# Chromium and its driver, and Selenium, for the browser tests.
browser-deps:
	@missing=""; for p in $(BROWSER_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	@$(PYTHON) -c "import selenium" 2>/dev/null || $(PYTHON) -m pip install -q -r tests/browser/requirements.txt

build: deps
	$(SWIFT) build

site: build
	$(BIN) build --config examples/acme/headroom.yml --output public
	@echo "Open file://$(CURDIR)/public/index.html"

test: deps browser-deps
	$(MAKE) test-generator
	$(MAKE) test-swift
	$(MAKE) test-browser

test-swift:
	$(SWIFT) build
	$(SWIFT) test

test-generator:
	$(PYTHON) -m pytest -q tests/generator

test-browser: build
	$(PYTHON) -m pytest -q tests/browser

format:
	$(SWIFT) format --in-place --recursive Sources Tests Plugins Package.swift

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Plugins Package.swift

clean:
	rm -rf .build public examples/acme/public
