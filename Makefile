# Every target bootstraps .venv on first use, so a fresh clone needs only `make test` or `make demo`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench mutate clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(VENV)/.bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $(VENV)/.bench

$(VENV)/.mutate: $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,mutate]'
	touch $(VENV)/.mutate

demo: $(STAMP)
	$(BIN)/catauto demo

lint: $(STAMP)
	$(BIN)/ruff check src tests examples benchmarks tools
	$(BIN)/ruff format --check src tests examples benchmarks tools

test: lint
	$(BIN)/python -m pytest

bench: $(VENV)/.bench
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

# Mutation testing (slow: not part of `test`, never in CI). A seeded sample of MUTANTS
# cosmic-ray mutants per package, each run against its package's tests in a temporary
# copy of the tree, the whole run stopped after MINUTES; report in out/mutate/.
# Example: make mutate MUTANTS=300 SEED=0 PACKAGES="core coalgebra automata neural"
MUTANTS ?= 300
SEED ?= 0
PACKAGES ?= core coalgebra automata neural
MINUTES ?= 600
mutate: $(VENV)/.mutate
	nice -n 15 $(BIN)/python tools/mutate.py --mutants $(MUTANTS) --seed $(SEED) \
		--minutes $(MINUTES) --packages $(PACKAGES)

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .ruff_cache
