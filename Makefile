# Two commands do all the set-up on a fresh machine:
#   make run    creates .venv, installs the package, runs the analysis on the bundled data
#   make test   creates .venv, installs the package with its test extras, runs the test suite
#               on every core (pytest-xdist), each test file on one worker
#   make docs   installs the docs extras, builds the HTML documentation (warnings are errors)
# PYTHON, VENV and CONSTRAINTS choose the environment, e.g. CI's oldest supported one:
#   make test PYTHON=python3.10 VENV=.venv-py310-minimum CONSTRAINTS=.ci/constraints-minimum.txt
# CONSTRAINTS is a pip constraints file to install with; the tests then check that the
# versions it pins are the ones installed. Use a separate VENV for each CONSTRAINTS.
PYTHON ?= python3
VENV ?= .venv
CONSTRAINTS ?=
BIN := $(VENV)/bin
PIP_INSTALL := $(BIN)/python -m pip install --quiet $(if $(CONSTRAINTS),--constraint $(CONSTRAINTS))
# What each target needs installed: the package alone, or with its test or docs extras.
PACKAGE_STAMP := $(VENV)/.installed-package
TEST_STAMP := $(VENV)/.installed-test
DOCS_STAMP := $(VENV)/.installed-docs

.PHONY: run test docs bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(PACKAGE_STAMP): pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(PIP_INSTALL) -e .
	touch $@

$(TEST_STAMP): pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(PIP_INSTALL) -e ".[test]"
	touch $@ $(PACKAGE_STAMP)

$(DOCS_STAMP): pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(PIP_INSTALL) -e ".[docs]"
	touch $@ $(PACKAGE_STAMP)

run: $(PACKAGE_STAMP)
	$(BIN)/connectome-motifs run

test: $(TEST_STAMP)
	$(BIN)/python -m ruff check .
	CONNECTOME_MOTIFS_CONSTRAINTS="$(if $(CONSTRAINTS),$(abspath $(CONSTRAINTS)))" \
		$(BIN)/python -m pytest -n auto --dist loadfile

docs: $(DOCS_STAMP)
	$(BIN)/python -m sphinx -W --keep-going -b html docs docs/_build/html

bench: $(TEST_STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) results build *.egg-info docs/_build docs/api docs/examples
