# Every target sets itself up: the first one run on a fresh machine creates .venv with the system python3.
# Targets owned by other parts of the project live in mk/*.mk and are included at the end.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= 2

.PHONY: help setup lint format test unit smoke serve clean

help: ## Show the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-16s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP) ## Create .venv and install the project with its dev tools

lint: $(STAMP) ## ruff check, ruff format --check, bandit, mypy, import contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -c pyproject.toml --severity-level medium -r tab_mcp pytest_tabmcp tabmcp_ops
	$(BIN)/mypy
	$(BIN)/mypy tests/unit tests/security tests/helpers tests/plugin
	$(BIN)/lint-imports

format: $(STAMP) ## Apply ruff fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

unit: $(STAMP) ## Unit tests only (no sockets)
	$(BIN)/pytest -m unit -q

smoke: $(STAMP) ## The main job: the smoke suite offline from cassettes (strict: a skip fails), with the latency table
	$(BIN)/pytest -m smoke -q --tabmcp-strict

serve: $(STAMP) ## Serve streamable HTTP on $(HOST):$(PORT) (reads TAB_* from the environment)
	$(BIN)/tab-mcp serve --transport http --host $(HOST) --port $(PORT)

test: lint $(STAMP) browser-setup ## Lint, then every test with coverage (Chromium too), then the smoke suite live
	$(BIN)/pytest -n $(PYTEST_WORKERS) --tabmcp-strict --cov --cov-report=term --cov-report=xml --cov-fail-under=90
	$(MAKE) --no-print-directory smoke-live

clean: ## Remove caches and build output (keeps .venv)
	rm -rf .pytest_cache .ruff_cache .coverage .coverage.* coverage.xml htmlcov dist build .monitor

include $(wildcard mk/*.mk)
