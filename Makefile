# Focus: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve migrate sample test test-fast lint format lock coverage clean ci bench-feeds bench browser-deps lighthouse bench-search

# Reproducible installs: every package is pinned in constraints.txt.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test,dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

sample: migrate
	$(BIN)/python manage.py load_sample_content

# Serve the site on SQLite with the sample issue loaded.
run: sample
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The browser tests drive Debian's Chromium; axe-core, vnu.jar (run with the
# system Java) and Lighthouse come pinned from npm. Scripts stay off: vnu-jar's
# would download a Java of its own.
CHROMIUM := /usr/bin/chromium
NODE_STAMP := node_modules/.installed-stamp

$(CHROMIUM):
	apt-get update -q && apt-get install -y -q --no-install-recommends chromium

$(NODE_STAMP): package.json package-lock.json
	@command -v java >/dev/null || (apt-get update -q && apt-get install -y -q --no-install-recommends default-jre-headless)
	npm ci --no-audit --no-fund --ignore-scripts
	touch $(NODE_STAMP)

browser-deps: $(CHROMIUM) $(NODE_STAMP)

# The whole test suite (SQLite by default; PostgreSQL when DATABASE_URL is set),
# browser tests included: here a missing browser fails instead of skipping.
# Two processes by default: much of the suite waits on browsers, servers and
# subprocesses, so two workers keep both cores busy. Each test module stays on
# one worker (--dist loadfile): its module-wide site or server is built once.
# Modules go out in collection order (--no-loadscope-reorder), so the browser
# modules, which replace the database with the sample site, still run last on
# each worker.
# TEST_WORKERS=0 runs everything in this one process.
TEST_WORKERS ?= 2
test: install browser-deps
	FOCUS_REQUIRE_BROWSER=1 $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

# Lighthouse scores for the home, issue and article pages: a report, not a test.
lighthouse: install browser-deps
	$(BIN)/python scripts/lighthouse.py

# Email edition: time to render one issue, and to send it to 10,000 subscribers.
.PHONY: bench-email
bench-email: install
	$(BIN)/python -m benchmarks.email_edition

coverage: install
	$(BIN)/python -m coverage run -m pytest
	$(BIN)/python -m coverage report --skip-covered

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=focus_site.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Benchmarks (not part of `make test`): every benchmarks/*.py script in turn,
# each serving a generated site with gunicorn on 127.0.0.1. See docs/performance.md.
bench: install
	@for script in benchmarks/[!_]*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Search latency at 10,000 articles: SQLite, plus PostgreSQL when
# BENCH_DATABASE_URL names a server (the script makes its own database there).
bench-search: install
	$(BIN)/python benchmarks/search.py

# Refresh the pins after changing pyproject.toml.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet -e ".[test,dev]"
	.lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^-e' > constraints.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) static var .pytest_cache .ruff_cache .coverage htmlcov

# Feed build time and query count with 10 and 10,000 articles (throwaway database).
bench-feeds: install
	$(BIN)/python benchmarks/feeds.py
