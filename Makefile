# Track Two: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: run test lint typecheck pytest bench sandbox clean venv

# Check the interpreter before making anything, and remove a venv whose making failed: a
# half-made .venv would make the next `make` skip this step and fail further on.
$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "Track Two needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) -V 2>/dev/null || echo missing)." \
	       "Install one and run e.g. 'make PYTHON=python3.11 run'." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install --quiet --upgrade pip \
	  || { rm -rf $(VENV); exit 1; }

# The dev extra is a superset of the runtime dependencies; one install serves both targets.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/tracktwo run

sandbox: $(STAMP)
	$(BIN)/tracktwo sandbox

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

# The PostgreSQL half of the service suite needs a server: scripts/pg-test-server starts a
# throwaway one when the binaries exist (and says plainly when they don't; those tests skip).
pytest: $(STAMP)
	scripts/pg-test-server $(BIN)/python -m pytest

test: lint typecheck pytest

bench: $(STAMP)
	scripts/pg-test-server $(BIN)/python -m bench

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
