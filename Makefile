# Provena: `make up` starts everything on embedded defaults, `make test` runs every test.
# Both install what they need first (uv, Python and npm packages, the web build, Chromium).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
# uv: the one on PATH, else the one installed in $(PYTHON), else one in a private venv. A stock
# Debian or Ubuntu Python refuses `pip install` (PEP 668, externally managed); a venv made
# from it does not.
UV_VENV ?= $(HOME)/.local/share/provena/uv-venv
UV := $(or $(shell command -v uv 2>/dev/null || \
	$(PYTHON) -c 'import uv; print(uv.find_uv_bin())' 2>/dev/null),$(UV_VENV)/bin/uv)
WEB_SOURCES := $(shell find web/src web/public -type f 2>/dev/null) web/index.html \
	web/vite.config.ts web/tsconfig.json web/package.json

.PHONY: up test deps web lint types pytest web-test api-types check-api-types chromium promtool clean

up: deps web
	$(UV) run provena up

test: deps web chromium promtool lint types check-api-types web-test pytest

deps: .venv/.synced web/node_modules/.installed

$(UV_VENV)/bin/uv:
	@$(PYTHON) -m venv $(UV_VENV) || { echo "error: '$(PYTHON) -m venv' failed: install" \
		"python3-venv (Debian/Ubuntu), or uv itself (https://docs.astral.sh/uv/)" >&2; exit 1; }
	$(UV_VENV)/bin/python -m pip install --quiet --disable-pip-version-check 'uv>=0.5'

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	@touch $@

web/node_modules/.installed: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

web: web/dist/index.html

web/dist/index.html: web/node_modules/.installed $(WEB_SOURCES)
	cd web && npm run build

chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

promtool:  # Debian's prometheus package: the alert rules are checked and unit-tested
	@command -v promtool >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus; }

lint:
	$(UV) run ruff check .
	$(UV) run ruff format --check .

types:
	$(UV) run mypy

# The web app's API types are generated from the OpenAPI schema; never edit them by hand.
api-types: deps
	$(UV) run provena openapi -o web/openapi.json
	cd web && npm run gen:api

check-api-types:
	@$(UV) run provena openapi -o .openapi.current.json
	@if ! cmp -s .openapi.current.json web/openapi.json; then \
		rm -f .openapi.current.json; \
		echo "web/openapi.json is stale: run 'make api-types' and commit the result" >&2; exit 1; \
	fi
	@rm -f .openapi.current.json
	cd web && npm run check:api

web-test:
	cd web && npm run lint && npm test

# The suite runs under coverage (configured in pyproject.toml); the per-package branch
# coverage it prints is a report, not a gate.
pytest:
	@rm -f .coverage .coverage.*
	$(UV) run coverage run -m pytest
	@$(UV) run coverage combine -q
	@$(UV) run coverage json -q -o .coverage.json
	$(UV) run python scripts/coverage_by_package.py .coverage.json

clean:
	rm -rf .venv web/node_modules web/dist .provena test-results .coverage .coverage.*
