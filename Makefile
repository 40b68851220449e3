# The commands of the README: `make demo`, `make test` and `make lint`. Each installs into .venv first.
VENV    ?= .venv
PYTHON  ?= python3
PY      := $(VENV)/bin/python
# checkov pins versions cw-scaffold cannot share, so it gets an environment of its own.
CHECKOV_VENV ?= .venv-checkov
export CW_SCAFFOLD_CHECKOV := $(abspath $(CHECKOV_VENV))/bin/checkov

.PHONY: install demo test lint

install: $(VENV)/.installed $(CHECKOV_VENV)/.installed

# Editable, with the exact versions of constraints.txt (pyproject.toml has the ranges).
$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[check,test]'
	touch $@

$(CHECKOV_VENV)/.installed:
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/python -m pip install --quiet checkov==3.3.30
	touch $@

# Render a module with the default answers into ./demo.
demo: install
	$(VENV)/bin/cw-scaffold new demo --defaults --force

test: install
	$(PY) -m pytest -n auto -q

# ruff and mypy --strict as configured in pyproject.toml; black for the canary script the
# template renders (generated Python must be black-clean). CI runs this before the tests.
lint: install
	$(PY) -m ruff check generator tests benchmarks scripts
	$(PY) -m ruff format --check generator tests benchmarks scripts
	$(PY) -m mypy generator
	$(PY) -m black --check --quiet template/canaries/*canary.py*
