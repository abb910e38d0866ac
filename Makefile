# Two commands matter: `make run` and `make test`. Everything they need is
# installed into this checkout (.venv/, node_modules/); nothing is global
# except Debian's Chromium for the browser tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
export PORT

.PHONY: run test lint install install-py install-js system-libs chromium clean

install: system-libs install-py install-js

# Letters are rendered to PDF by WeasyPrint, which needs Pango, HarfBuzz's
# subsetter (embedded fonts hold only the glyphs used; without it WeasyPrint
# warns on import) and a font from the system (Debian's packages); installed
# only when missing.
system-libs:
	@{ ldconfig -p | grep -q libpangoft2-1.0.so.0 && ldconfig -p | grep -q libharfbuzz-subset.so.0 \
	   && fc-list 2>/dev/null | grep -q .; } || { \
	  SUDO=$$(command -v sudo >/dev/null && [ "$$(id -u)" != 0 ] && echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fontconfig >/dev/null; }

install-py: $(VENV)/.stamp-py
$(VENV)/.stamp-py: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e '.[test]'
	touch $@

install-js: node_modules/.stamp-js
node_modules/.stamp-js: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Browser tests drive Debian's Chromium, never a downloaded browser.
chromium:
	@test -x /usr/bin/chromium || { \
	  SUDO=$$(command -v sudo >/dev/null && [ "$$(id -u)" != 0 ] && echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

run: install
	BOUNDARY_ENV=$${BOUNDARY_ENV:-development} $(BIN)/flask --app service setup
	BOUNDARY_ENV=$${BOUNDARY_ENV:-development} $(BIN)/python -m service.devserver

# The whole suite on SQLite, then again on a PostgreSQL server the tests start
# themselves from the installed binaries (tests/pg_server.py). The second pass
# leaves out two folders whose result cannot depend on the database:
# tests/engine never opens one, and tests/browser checks what Chromium shows
# and runs (scripts, zoom, axe) of pages whose every query tests/web and
# tests/api already run on PostgreSQL. Each pass runs on pytest-xdist workers,
# one per core; PYTEST_WORKERS=0 runs one process.
PYTEST_WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -q -p no:cacheprovider -n $(PYTEST_WORKERS)
test: install chromium lint
	$(PYTEST)
	BOUNDARY_TEST_DB=postgres $(PYTEST) --ignore=tests/engine --ignore=tests/browser

# Lint (ruff), types (mypy: strict for engine/ and domain/) and the import rules of
# docs/architecture.md (import-linter); all configured in pyproject.toml. Seconds, so
# `make test` runs them first and stops before the long run if one fails.
lint: install-py
	$(BIN)/ruff check service tests tools bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

clean:
	rm -rf $(VENV) node_modules instance
