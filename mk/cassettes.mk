# Cassettes, the upstream stand-in and CI's live smoke path (owned by the "upstream" part; included by the Makefile).

.PHONY: cassettes cassettes-check cassettes-lint record smoke-live standin

cassettes: $(STAMP) ## Rebuild the hand-made cassettes (and the index in cassettes/README.md)
	$(PY) scripts/build_cassettes.py

cassettes-check: $(STAMP) ## Fail when cassettes/ differs from what scripts/build_cassettes.py writes
	$(PY) scripts/build_cassettes.py --check

cassettes-lint: $(STAMP) ## Fail when a cassette holds a secret-looking value
	$(PY) -m pytest_tabmcp.cassette_lint cassettes

# The credential check runs first, with the system python and no $(STAMP) prerequisite, so a refusal changes
# nothing. tabmcp_ops/record.py records into a fresh directory and swaps it in only after a green run and a
# clean cassette lint. RECORD_CASSETTE_DIR exists for the tests, which record into a copy.
RECORD_CASSETTE_DIR ?= cassettes
RECORD_ARGS ?=

record: ## Re-record every cassette from TAB_BASE_URL (needs TAB_CLIENT_ID/TAB_CLIENT_SECRET); replaces cassettes/ only on success
	@$(PYTHON) -m tabmcp_ops.record --preflight
	$(MAKE) --no-print-directory $(STAMP)
	$(PY) -m tabmcp_ops.record --cassette-dir $(RECORD_CASSETTE_DIR) -- $(RECORD_ARGS)

smoke-live: $(STAMP) ## The smoke suite with --live-url against `tab-mcp serve` over the loopback stand-in
	$(PY) scripts/live_smoke.py

STANDIN_PORT ?= 8001

standin: $(STAMP) ## Serve cassettes/ as the upstream stand-in on 127.0.0.1:STANDIN_PORT (default 8001)
	$(BIN)/tabmcp-upstream --cassette-dir cassettes --host 127.0.0.1 --port $(STANDIN_PORT)

contracts-e2e: $(STAMP) ## The slow end-to-end checks of contracts and recording (planted drift, make record, replay)
	$(BIN)/pytest -q tests/integration/test_contract_drift.py tests/integration/test_record_refresh.py
