# baikonur-pub — `make` sets up .venv and builds every artifact into dist/; `make test` tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
CLI    := $(BIN)/baikonur-pub

.DEFAULT_GOAL := all
.PHONY: all build pdf epub docx check report test test-fast bench proof clean distclean

all: build

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

build: $(STAMP)
	$(CLI) build

pdf epub docx: $(STAMP)
	$(CLI) build --format $@

.PHONY: proof
proof: pdf  ## every PDF page as PNG, one contact sheet per language, in dist/proof/
	$(CLI) proof

check: $(STAMP)
	$(CLI) check --strict

report: $(STAMP)
	@mkdir -p dist
	$(CLI) check --format html --output dist/parity-report.html
	$(CLI) check --format json --output dist/parity-report.json

test: $(STAMP)
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m 'not slow'

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf dist .cache

distclean: clean
	rm -rf $(VENV) src/*.egg-info
