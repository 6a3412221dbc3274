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

.PHONY: up test deps web audit lint types pytest web-test api-types check-api-types chromium promtool \
	containers bench soak coverage clean

up: deps web
	$(UV) run provena up

test: deps web chromium promtool containers lint types check-api-types web-test pytest

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

# The images are built and run without a Docker engine: Debian's podman and buildah with runc,
# on a base that debootstrap makes (tests/deploy/containers.py).
CONTAINER_TOOLS := podman buildah runc skopeo debootstrap containernetworking-plugins iptables \
	catatonit uidmap
containers:
	@command -v podman buildah runc debootstrap >/dev/null || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		$(CONTAINER_TOOLS); }

# Known vulnerabilities in what ships: the locked Python dependencies (without dev ones; pip-audit
# fails on any known vulnerability, and --strict on a package it could not check) and the web
# app's npm dependencies (high severity and above). Both ask their registry's vulnerability API,
# which a build machine on a closed network cannot reach: it is a step of the CI workflow of
# its own, not part of `make test`.
PIP_AUDIT := pip-audit==2.10.1
audit: deps
	@requirements=$$(mktemp --suffix=.txt); trap 'rm -f "$$requirements"' EXIT; \
	$(UV) export --frozen --no-dev --no-emit-project --format requirements-txt --quiet \
		-o "$$requirements"; \
	$(UV) tool run $(PIP_AUDIT) --requirement "$$requirements" --require-hashes --disable-pip \
		--strict --progress-spinner off
	cd web && npm audit --omit=dev --audit-level=high

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

# Every benchmark in bench/, one after the other (about an hour on 2 cores): bench/report.json
# and bench/report.md, with the core count and the commit.
bench: deps web chromium
	$(UV) run python -m bench.report

# Ten minutes of mixed load, twenty kill -9 of each process under load, and schemathesis's
# long run (make test runs short versions of each), in the same report.
soak: deps
	$(UV) run python -m bench.report --only load faults schema_fuzz

web-test:
	cd web && npm run lint && npm test

pytest:
	$(UV) run pytest

# The same suite under coverage (configured in pyproject.toml), subprocesses included, then
# the branch coverage of each package: a report, not a gate. It takes about a third longer
# than `make test`'s run, so it is a target of its own.
coverage: deps web chromium promtool containers
	@rm -f .coverage .coverage.*
	$(UV) run coverage run -m pytest
	@$(UV) run coverage combine -q
	@$(UV) run coverage json -q -o .coverage.json
	$(UV) run python scripts/coverage_by_package.py .coverage.json

clean:
	rm -rf .venv web/node_modules web/dist .provena test-results .coverage .coverage.*
