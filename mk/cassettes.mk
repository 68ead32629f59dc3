# Cassettes, the stand-in and CI's live smoke path (owned by the "stand-in" part; included by the Makefile).

.PHONY: cassettes cassettes-check cassettes-lint record smoke-live standin mutants contracts-e2e

cassettes: $(STAMP) ## Rebuild the hand-made cassettes, the second data set cassettes-alt/ and the quirk fixtures
	$(PY) -m tabmcp_ops.cassette_builders

cassettes-check: $(STAMP) ## Fail when cassettes/ differs from what python -m tabmcp_ops.cassette_builders writes
	$(PY) -m tabmcp_ops.cassette_builders --check

cassettes-lint: $(STAMP) ## Fail when a cassette holds a secret-looking value
	$(PY) -m pytest_tabmcp.cassette_lint cassettes cassettes-alt tests/unit/quirks/cassettes

# The credential check runs first, with the system python and no $(STAMP) prerequisite, so a refusal changes
# nothing. tabmcp_ops/record.py records into a fresh directory and swaps it in only after a green run and a
# clean cassette lint. RECORD_CASSETTE_DIR exists for the tests, which record into a copy.
RECORD_CASSETTE_DIR ?= cassettes
RECORD_ARGS ?=

record: ## Re-record every cassette from TAB_BASE_URL (needs TAB_CLIENT_ID/TAB_CLIENT_SECRET); replaces cassettes/ only on success
	@$(PYTHON) -m tabmcp_ops.record --preflight
	$(MAKE) --no-print-directory $(STAMP)
	$(PY) -m tabmcp_ops.record --cassette-dir $(RECORD_CASSETTE_DIR) -- $(RECORD_ARGS)

# CASSETTE_DIR=DIR runs one data set only (e.g. a newly built or recorded one); default: cassettes and cassettes-alt.
CASSETTE_DIR ?=

smoke-live: $(STAMP) ## Smoke suite live + strict over the stand-in, for both data sets; fails on any stand-in miss
	$(PY) -m tabmcp_ops.live_smoke $(if $(CASSETTE_DIR),--cassette-dir "$(CASSETTE_DIR)")

# MUTANTS_ARGS passes options through, e.g. MUTANTS_ARGS="--kind response" or "--only runners_emptied --jobs 1".
MUTANTS_ARGS ?=

mutants: $(STAMP) ## Request- and response-side mutants, offline and live: killed by an assertion? Logs in .mutants/ (its own CI job)
	$(PY) -m tabmcp_ops.mutants --json .mutants/result.json $(MUTANTS_ARGS)

STANDIN_PORT ?= 8001

STANDIN_CASSETTES ?= cassettes

standin: $(STAMP) ## Serve STANDIN_CASSETTES (default cassettes; or cassettes-alt) as the stand-in on STANDIN_PORT
	$(BIN)/tabmcp-standin --cassette-dir "$(STANDIN_CASSETTES)" --host 127.0.0.1 --port $(STANDIN_PORT)

contracts-e2e: $(STAMP) ## The slow end-to-end checks of contracts and recording (planted drift, make record, replay)
	$(BIN)/pytest -q tests/integration/test_contract_drift.py tests/integration/test_record_refresh.py
