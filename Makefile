# BenchLM. `make run` serves the site with embedded defaults; `make test` runs every test.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PORT ?= 8000
VENV ?= .venv
BIN := $(VENV)/bin
# The first interpreter that is Python 3.12 or newer (pyenv's .python-version picks 3.13 here).
PYTHON ?= $(shell for p in python3.13 python3.14 python3.12 python3 python; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	echo $$p; break; fi; done)
STAMP := $(VENV)/.installed
# Parallel test processes (pytest-xdist): each gets its own test database and cache key prefix.
# One more than the cores: many tests wait on a browser, a worker or a server rather than compute.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 2) + 1 )))
# make bench: the catalogue's size in multiples of the demo data (10: 370 models; 100: 3,700).
SCALE ?= 10

.PHONY: help install lock run migrate demo admin test lint format migrations-check ci clean bench bench-digest bench-fit bench-pages

help:
	@echo "make run               install, migrate, load the demo data, create an admin, serve on 127.0.0.1:$(PORT)"
	@echo "make test              the whole test suite (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set)"
	@echo "make lint              ruff lint and format check"
	@echo "make migrations-check  fail when a model change has no migration"
	@echo "make lock              re-resolve requirements/*.txt (hashed pins) from pyproject.toml"
	@echo "make ci                lint, migrations-check and test, as CI runs them"
	@echo "make bench             load test at SCALE (10) x the demo catalogue; writes bench/RESULTS.md"
	@echo "make bench-digest      emails per second of one worker sending to 10,000 subscribers"
	@echo "make bench-fit         scoreboard build, cold and after one edit, at 1x and 10x (SCALE=100: and 100x)"
	@echo "make bench-pages       render time and HTML size of each page at 1x and SCALE x the demo; bench/PAGES.md"

$(STAMP): requirements/dev.txt
	@if [ -z "$(PYTHON)" ]; then \
		echo "BenchLM needs Python 3.12 or newer, and none was found on PATH."; \
		echo "Install Python 3.12+ (e.g. from python.org or your package manager) or run: make PYTHON=/path/to/python3.12"; \
		exit 1; fi
	@echo "Creating $(VENV) with $$($(PYTHON) --version)"
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/dev.txt
	@touch $(STAMP)

install: $(STAMP)

# Re-resolve the lock files from pyproject.toml, keeping every pin that still satisfies it;
# `make lock UPGRADE=--upgrade` (or UPGRADE="--upgrade-package django") moves pins forward.
lock:
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --universal \
		--python-version 3.12 $(UPGRADE) -o requirements/dev.txt
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --universal \
		--python-version 3.12 -c requirements/dev.txt -o requirements/base.txt

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo_data

admin: migrate
	$(BIN)/python manage.py ensure_admin --port $(PORT)

# Links in emails, canonical links and Open Graph tags point at the port actually served.
SITE_URL ?= http://127.0.0.1:$(PORT)

run: demo admin
	SITE_URL=$(SITE_URL) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

ci: lint migrations-check test

clean:
	rm -rf $(VENV) var/static .pytest_cache .ruff_cache *.egg-info

bench-fit: install
	$(BIN)/python bench/fit_time.py --up-to $(SCALE) --write

bench-pages: install
	$(BIN)/python bench/pages.py --scales 1 $(SCALE) --write

bench-digest: install
	$(BIN)/python bench/digest_send.py --subscribers 10000

bench: install
	@command -v wrk >/dev/null || { echo "make bench needs wrk (Debian: apt-get install wrk)"; exit 1; }
	@command -v redis-server >/dev/null || { echo "make bench needs redis-server"; exit 1; }
	@# With DEBUG off every page needs the static manifest; a fresh clone has none yet.
	DEBUG=0 SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))') \
		$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python bench/run.py --scale $(SCALE)
