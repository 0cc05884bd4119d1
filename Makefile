# proscribe: `make demo` runs the main job on the bundled lists; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint format bench clean fuzz audit

install: $(STAMP)

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

demo: install
	$(BIN)/python -m proscribe.demo

test: install
	@# The store tests also run on PostgreSQL: a private server is started for this run (Debian's
	@# postgresql package, installed when missing) unless PROSCRIBE_TEST_POSTGRES_URL names one.
	@# When it cannot start, the PostgreSQL tests fail (never skip) and say why.
	@pgdir=""; \
	if [ -z "$$PROSCRIBE_TEST_POSTGRES_URL" ]; then \
	  pgdir=$$(mktemp -d /tmp/proscribe-pg.XXXXXX); \
	  if url=$$(bash scripts/postgres.sh start $$pgdir); then PROSCRIBE_TEST_POSTGRES_URL=$$url; \
	  else echo "make test: PostgreSQL could not be started: the PostgreSQL store tests will FAIL" >&2; \
	    PROSCRIBE_TEST_POSTGRES_URL="unavailable: scripts/postgres.sh could not start a server (see its messages above)"; fi; \
	fi; \
	export PROSCRIBE_TEST_POSTGRES_URL; status=0; \
	$(BIN)/python -m pytest || status=$$?; \
	if [ -n "$$pgdir" ]; then bash scripts/postgres.sh stop $$pgdir; fi; \
	exit $$status

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: install
	$(BIN)/python bench/run_all.py

fuzz: install
	@# The long fuzzing run (tests/fuzz/run_fuzz.py): atheris over every parser for FUZZ_SECONDS in all
	@# (default 600), shared between the targets; each new failing input is kept in tests/fuzz/corpus/,
	@# which make test replays. FUZZ_TARGETS=ofac_xml,payments/mt narrows it.
	$(BIN)/pip install -q -e '.[fuzz]'
	$(BIN)/python tests/fuzz/run_fuzz.py --seconds $${FUZZ_SECONDS:-600}

audit: install
	@# Known vulnerabilities in the installed, pinned dependencies (pip-audit, in a venv of its own so it
	@# pins nothing of ours). --strict: a dependency that could not be looked up (no route to the
	@# vulnerability service) fails the run instead of passing as clean.
	test -d $(VENV)/audit || $(PYTHON) -m venv $(VENV)/audit
	$(VENV)/audit/bin/pip install -q pip-audit
	$(BIN)/pip freeze --exclude-editable > $(VENV)/audit/pinned.txt
	$(VENV)/audit/bin/pip-audit --strict --no-deps --disable-pip --progress-spinner off -r $(VENV)/audit/pinned.txt

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
