# Two commands on a fresh machine: `make run` opens the app on a demo journal,
# `make test` runs everything CI runs (`make test-pg` beside a PostgreSQL server, as CI
# does). Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB ?= $(CURDIR)/.demo/studylog.db

.PHONY: run test test-pg lint bench clean

$(BIN)/studylog: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

run: $(BIN)/studylog
	$(BIN)/studylog --db $(DEMO_DB) demo
	$(BIN)/studylog --db $(DEMO_DB)

lint: $(BIN)/studylog
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

# One pytest worker per core (pytest-xdist): the suite is CPU-bound. loadgroup keeps the
# tests marked with one xdist_group on one worker, so module-scoped set-up runs once.
test: lint
	$(BIN)/python -m pytest -q -n auto --dist loadgroup

# The same, beside a throwaway PostgreSQL server, as CI runs it (.ci/run).
test-pg:
	.ci/with-postgres.sh $(MAKE) test

bench: $(BIN)/studylog
	$(BIN)/pip install --quiet -c constraints.txt -e '.[bench]'
	$(BIN)/python benchmarks/bench_journal.py
	$(BIN)/python benchmarks/bench_sandbox.py
	$(BIN)/python benchmarks/bench_reviews.py
	$(BIN)/python benchmarks/bench_engines.py
	$(BIN)/python benchmarks/bench_stats_export.py
	$(BIN)/python benchmarks/bench_tui_start.py
	$(BIN)/python benchmarks/bench_cli.py
	$(BIN)/python benchmarks/bench_cards.py
	$(BIN)/python benchmarks/bench_verify.py

clean:
	rm -rf $(VENV) .demo
