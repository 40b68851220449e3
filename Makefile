# The two commands of the README: `make demo` and `make test`. Both install into .venv first.
VENV   ?= .venv
PYTHON ?= python3
PY     := $(VENV)/bin/python

.PHONY: install demo test lint

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[check,test]'
	touch $@

# Render a module with the default answers into ./demo.
demo: install
	$(VENV)/bin/cw-scaffold new demo --defaults --force

test: install
	$(PY) -m pytest -n auto -q

lint: install
	$(PY) -m ruff check generator tests benchmarks scripts
	$(PY) -m mypy generator
