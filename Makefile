# Two commands do all setup on a fresh machine:
#   make demo   builds the demo workspace (synthetic data) and shows it working
#   make test   lint, type check and the whole test suite (on two workers, then the tests that
#               measure time or memory alone), measuring line coverage against the
#               floor in pyproject.toml (it installs the [spark] extra, and Debian's chromium,
#               poppler-utils, postgresql and openjdk-17-jre-headless when missing, and starts
#               a throwaway PostgreSQL on loopback for the program store's tests)
# Each creates the Python environment it needs (.venv) first.

PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
BENCH_STAMP := $(VENV)/.installed-bench
SPARK_STAMP := $(VENV)/.installed-spark
WORKSPACE ?= demo-workspace

.PHONY: demo test lint bench calibrate docs clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

# the [spark] extra (ibis, PySpark): the tests run the batch on DuckDB and Spark
$(SPARK_STAMP): $(STAMP)
	$(BIN)/pip install -q -e '.[dev,spark]'
	touch $(SPARK_STAMP)

$(BENCH_STAMP): $(SPARK_STAMP)
	$(BIN)/pip install -q -e '.[dev,spark,bench]'
	touch $(BENCH_STAMP)

demo: $(STAMP)
	$(BIN)/exportplan demo --workspace $(WORKSPACE)

lint: $(SPARK_STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy

# The small demo the tests share is built (tests/demo_cache.py, under coverage, its data combined
# with the tests') while ruff, mypy and the system packages' check run; every pytest process of
# the run copies it (EXPORTPLAN_TEST_DEMO) instead of building its own.
TEST_DEMO := $(CURDIR)/build/test-demo

test: $(SPARK_STAMP)
	@rm -rf build/demo-cov; mkdir -p build/demo-cov; \
	COVERAGE_FILE=$(CURDIR)/build/demo-cov/.coverage $(BIN)/coverage run -p \
	  tests/demo_cache.py $(TEST_DEMO) > build/test-demo.log 2>&1 & demo=$$!; \
	$(MAKE) --no-print-directory lint && $(BIN)/python scripts/gen_cli_docs.py --check \
	  && scripts/system_deps.sh; \
	checks=$$?; \
	wait $$demo && cat build/test-demo.log || { echo "the shared demo failed to build:"; \
	  cat build/test-demo.log; }; \
	if [ $$checks -ne 0 ]; then exit $$checks; fi
	@url=$$(scripts/test_postgres.sh start) || exit 1; \
	export EXPORTPLAN_TEST_DEMO=$(TEST_DEMO); \
	EXPORTPLAN_TEST_PG_URL=$$url $(BIN)/pytest -n 2 --dist loadfile -m "not serial" --durations=25 \
	  --cov --cov-report= --cov-fail-under=0; \
	parallel=$$?; \
	$(BIN)/coverage combine --append build/demo-cov >/dev/null || echo "the shared demo's coverage was not combined"; \
	EXPORTPLAN_TEST_PG_URL=$$url $(BIN)/pytest -m serial --durations=10 --cov --cov-append \
	  --cov-report=term-missing:skip-covered; \
	serial=$$?; \
	scripts/test_postgres.sh stop; \
	if [ $$parallel -ne 0 ]; then exit $$parallel; fi; exit $$serial

docs: $(STAMP)
	$(BIN)/python scripts/gen_cli_docs.py
	$(BIN)/python scripts/gen_layout.py

bench: $(BENCH_STAMP)
	$(BIN)/python benchmarks/run.py

# the forecast's calibration study (about 3 minutes on 2 cores): held-out table into docs/monitoring.md
calibrate: $(STAMP)
	$(BIN)/python benchmarks/forecast_calibration.py --series 1000 --split holdout --write-docs

clean:
	rm -rf $(VENV) $(WORKSPACE) .pytest_cache .mypy_cache .ruff_cache .coverage .coverage.*
