# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
RESET  ?=

.PHONY: demo test check lint format bench clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Tactful needs Python 3.11+"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The stamps re-install whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/tactful demo --port $(PORT) $(if $(RESET),--reset)

# Two workers (pytest-xdist) by default, one per core; `make test PYTEST_WORKERS=0` runs in-process.
PYTEST_WORKERS ?= 2
test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -q $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS)) $(PYTEST_ARGS)

check: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy --strict src/tactful
	$(BIN)/lint-imports --no-logo

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix src tests benchmarks scripts
	$(BIN)/ruff format src tests benchmarks scripts

# Each benchmark prints a table and a JSON line; numbers are recorded in benchmarks/README.md.
bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/accuracy.py
	$(BIN)/python benchmarks/unlearning.py
	$(BIN)/python benchmarks/guards.py
	$(BIN)/python benchmarks/mood.py
	$(BIN)/python benchmarks/erasure.py
	$(BIN)/python benchmarks/contact.py
	$(BIN)/python benchmarks/serving.py
	$(BIN)/python benchmarks/insights.py
	$(BIN)/python benchmarks/observability.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache tactful.db tactful.db-* models/
