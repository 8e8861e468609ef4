# Two commands matter: `make run` and `make test`. Everything they need is installed on first use.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)
export REDIS_URL ?= redis://127.0.0.1:6379/0
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: install run test test-sqlite test-sqlite-unbrowsed test-postgres lint fmt bench bench-web bench-scale browsers services screenshots

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@if $(PY) manage.py redis_available; then \
		$(VENV)/bin/honcho --procfile Procfile.dev start; \
	else \
		CELERY_TASK_ALWAYS_EAGER=1 $(PY) manage.py runserver 127.0.0.1:8000; \
	fi

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

fmt: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Debian's Chromium when installed, else Playwright's own build (tests/browser/chromium.py decides).
browsers: install
	@$(PY) -m tests.browser.chromium | grep -qx playwright && $(VENV)/bin/playwright install chromium || true

# PostgreSQL and Redis must answer; one line each when they don't (or `docker compose up -d` them).
services: install
	@$(PY) -m tests.preflight

# Everything but the browser tests on SQLite, then the whole suite on PostgreSQL, production's database: the
# browser tests drive the same pages on either, and twice over they took CI past 30 minutes on a 2-core machine.
# `make test-sqlite` runs the whole suite on SQLite. pytest exits non-zero (5) when no test ran.
test: lint services browsers
	$(PY) manage.py makemigrations --check --dry-run
	$(MAKE) test-sqlite-unbrowsed test-postgres

test-sqlite: install
	DATABASE_URL= $(PY) -m pytest

test-sqlite-unbrowsed: install
	DATABASE_URL= $(PY) -m pytest -m "not browser"

test-postgres: install
	DATABASE_URL=$(TEST_POSTGRES_URL) $(PY) -m pytest

bench: install
	$(PY) -m bench

# A PNG of every page at 390x844, signed in as the demo patient, into docs/screenshots/ (scratch database).
screenshots: install browsers
	$(PY) -m tests.browser.screenshots docs/screenshots

# Lighthouse (mobile) on every main page served as in production; Lighthouse is pinned in bench/web.
# npm ci installs the locked versions; a sub-dependency pinned to "latest" can put the lock out of step: then npm install.
bench-web: install
	test -x bench/web/node_modules/.bin/lighthouse || (cd bench/web && (npm ci --no-audit --no-fund || npm install --no-audit --no-fund))
	$(PY) -m bench web

# N synthetic patients on PostgreSQL and the nightly review on 1 and 2 Celery workers (Redis db 9).
PATIENTS ?= 1000
bench-scale: install
	$(PY) -m bench scale --patients $(PATIENTS)
