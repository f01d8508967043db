# Seminariearkivet: `make run` starts the site with demo content, `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# `make run PORT=8001` (or HOST=0.0.0.0) serves elsewhere; the demo prints that address.
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install run demo test test-pg lint format messages bench clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml package-lock.json
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error; \
	  else echo "npm not found: accessibility tests (axe-core) will skip"; fi
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install the project with its dev extras

# Links in the demo's summary, sitemap and feeds point where runserver answers.
demo run: export BASE_URL ?= http://$(HOST):$(PORT)

demo: install ## Migrate and load the demo archive (safe to re-run)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_data

run: demo ## Set up and serve the demo site on http://127.0.0.1:8000 (PORT=8001, HOST=...; admin login is printed)
	@echo "Serving on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/, login printed above)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install ## Run the test suite (SQLite; set DATABASE_URL for PostgreSQL)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-pg: install ## Run the test suite on the local PostgreSQL (database `test`)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install ## Update and compile the Swedish and English translations
	$(BIN)/python manage.py makemessages -l sv -l en --ignore=.venv --ignore=node_modules
	$(BIN)/python manage.py compilemessages --ignore=.venv

bench: install ## Run the benchmarks (prints figures; README "Benchmarks", bench/RESULTS.md)
	$(BIN)/python bench/run.py

clean: ## Remove the virtualenv, the local database and uploaded media
	rm -rf $(VENV) db.sqlite3 media
