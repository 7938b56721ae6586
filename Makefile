# Focus: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve migrate sample test test-fast lint format lock coverage clean ci bench-feeds bench bench-search

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

# The whole test suite (SQLite by default; PostgreSQL when DATABASE_URL is set).
test: install
	$(BIN)/python -m pytest

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
