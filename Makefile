# Two commands do all the set-up on a fresh machine:
#   make run    creates .venv, installs the package, runs the analysis on the bundled data
#   make test   creates .venv, installs the package with its test extras, runs the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/connectome-motifs run

test: $(STAMP)
	$(BIN)/python -m ruff check .
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) results build *.egg-info
