# The two commands of the README. Both create .venv at the repository root when missing.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
GAZETTEER := $(VENV)/share/sitrep/gazetteer.sqlite

.PHONY: demo test lint services bench bench-geo clean
# `make demo NO_SERVE=1` stops after the printed summaries instead of serving the dashboard.
NO_SERVE ?=
HOST ?= 127.0.0.1
PORT ?= 8000

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,ray]'
	@touch $(STAMP)

# The gazetteer is built from installed packages' GeoNames data, once per environment.
$(GAZETTEER): $(STAMP) sitrep/places/build.py $(wildcard sitrep/places/data/*)
	$(BIN)/sitrep gazetteer build

demo: $(STAMP) $(GAZETTEER)
	rm -f demo.duckdb demo.duckdb.wal
	$(BIN)/sitrep ingest examples --db demo.duckdb
	$(BIN)/sitrep articles --db demo.duckdb
	$(BIN)/sitrep show examples/ceasefire-fr.raw.txt --db demo.duckdb
	$(BIN)/sitrep extract examples/ceasefire-fr.raw.txt --format table
	$(BIN)/sitrep stats --db demo.duckdb
	$(BIN)/sitrep events --db demo.duckdb --text Goris --historical
	$(BIN)/sitrep ceasefires --db demo.duckdb
ifeq ($(NO_SERVE),)
	$(BIN)/sitrep serve --db demo.duckdb --host $(HOST) --port $(PORT)
endif

lint: $(STAMP)
	$(BIN)/ruff check sitrep tests bench
	$(BIN)/ruff format --check sitrep tests bench
	$(BIN)/mypy

# PostgreSQL and Chromium from Debian's packages, for the second backend and the browser tests.
services: $(STAMP)
	bash .ci/services

test: lint $(GAZETTEER) services
	SITREP_TEST_PG="$${SITREP_TEST_PG:-$$(cat $(VENV)/test-pg-url 2>/dev/null)}" $(BIN)/pytest -q

bench: $(STAMP) $(GAZETTEER)
	$(BIN)/python bench/ingest.py --copies 2
	$(BIN)/python bench/stages.py

# Accuracy against the public gold data of ../shared/benchmarks (about 6 minutes).
bench-geo: $(STAMP) $(GAZETTEER)
	$(BIN)/python bench/geoparse.py --corpus all --task both
	$(BIN)/python bench/winer.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache demo.duckdb demo.duckdb.wal
