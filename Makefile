# baikonur-pub — `make` sets up .venv and builds every artifact into dist/; `make test` tests.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
CLI    := $(BIN)/baikonur-pub

.DEFAULT_GOAL := all
.PHONY: all bytecode build pdf epub docx check report test test-fast bench proof preview readme-tables clean distclean

all: build

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

# The package is installed editable; its bytecode is written here, since Python may be told
# not to write it (PYTHONDONTWRITEBYTECODE), and compiling 30 modules costs every run 0.2 s.
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q src

build: bytecode
	$(CLI) build

pdf epub docx: bytecode
	$(CLI) build --format $@

.PHONY: proof
proof: pdf  ## every PDF page as PNG, one contact sheet per language, in dist/proof/
	$(CLI) proof

check: bytecode
	$(CLI) check --strict

report: bytecode
	@mkdir -p dist
	$(CLI) check --format html --output dist/parity-report.html
	$(CLI) check --format json --output dist/parity-report.json

test: bytecode
	$(BIN)/python -m pytest

test-fast: bytecode
	$(BIN)/python -m pytest -m 'not slow'

bench: bytecode
	$(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/bench_preview.py

preview: bytecode  ## both languages side by side at http://127.0.0.1:8000/, updated on save
	$(CLI) preview

readme-tables: $(STAMP)  ## README.md's configuration tables, made anew from the schemas' docs
	$(BIN)/python -c 'from baikonur_pub.schema import update_readme; update_readme("README.md")'

clean:
	rm -rf dist .cache

distclean: clean
	rm -rf $(VENV) src/*.egg-info
