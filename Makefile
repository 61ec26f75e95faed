# survwatch — every target sets itself up (virtual env + install) on first use.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install demo test run eval bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## demo: the whole pipeline offline, against the bundled sample web
demo: $(STAMP)
	$(BIN)/survwatch demo

## test: the test suite (pytest exit 5 = "no tests collected" is a failure here)
test: $(STAMP)
	@$(BIN)/python -m pytest -q; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: treating as failure"; exit 1; fi; exit $$rc

## run: the real feed list (needs internet)
run: $(STAMP)
	$(BIN)/survwatch run

## eval: tagger quality on the dev set, then on the blind holdout2 (read its figures; never tune on it)
eval: $(STAMP)
	$(BIN)/survwatch eval tests/data/dev
	$(BIN)/survwatch eval tests/data/holdout2

## bench: throughput benchmark (see bench/README.md)
bench: $(STAMP)
	$(BIN)/python bench/pipeline.py --articles 300 --json

clean:
	rm -rf $(VENV) data/demo*.duckdb* .pytest_cache
