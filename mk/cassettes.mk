# Cassettes, the upstream stand-in and CI's live smoke path (owned by the "upstream" part; included by the Makefile).

.PHONY: cassettes cassettes-check cassettes-lint record smoke-live standin mutants

cassettes: $(STAMP) ## Rebuild the hand-made cassettes, the second data set cassettes-alt/ and the quirk fixtures
	$(PY) scripts/build_cassettes.py

cassettes-check: $(STAMP) ## Fail when cassettes/ differs from what scripts/build_cassettes.py writes
	$(PY) scripts/build_cassettes.py --check

cassettes-lint: $(STAMP) ## Fail when a cassette holds a secret-looking value
	$(PY) -m pytest_tabmcp.cassette_lint cassettes cassettes-alt tests/unit/quirks/cassettes

# The credential check runs before anything else (no $(STAMP) prerequisite), so a refusal changes nothing.
record: ## Re-record the cassettes from the live API (needs TAB_CLIENT_ID and TAB_CLIENT_SECRET)
	@if [ -z "$${TAB_CLIENT_ID:-}" ] || [ -z "$${TAB_CLIENT_SECRET:-}" ]; then \
		echo "make record: refusing to run: set TAB_CLIENT_ID and TAB_CLIENT_SECRET (real TAB Studio credentials) to re-record cassettes from the live API; nothing was changed." >&2; \
		exit 2; \
	fi
	$(MAKE) --no-print-directory $(STAMP)
	$(BIN)/pytest -m smoke --tabmcp-record-mode=all -p no:xdist
	$(PY) -m pytest_tabmcp.cassette_lint cassettes

# CASSETTE_DIR=DIR runs one data set only (e.g. a newly built or recorded one); default: cassettes and cassettes-alt.
CASSETTE_DIR ?=

smoke-live: $(STAMP) ## Smoke suite live + strict over the stand-in, for both data sets; fails on any stand-in miss
	$(PY) scripts/live_smoke.py $(if $(CASSETTE_DIR),--cassette-dir "$(CASSETTE_DIR)")

mutants: $(STAMP) ## One-literal changes to tab_mcp/ in a scratch copy: killed offline and live? (about 25 min)
	$(PY) -m tabmcp_ops.mutants

STANDIN_PORT ?= 8001

STANDIN_CASSETTES ?= cassettes

standin: $(STAMP) ## Serve STANDIN_CASSETTES (default cassettes; or cassettes-alt) as the stand-in on STANDIN_PORT
	$(BIN)/tabmcp-upstream --cassette-dir "$(STANDIN_CASSETTES)" --host 127.0.0.1 --port $(STANDIN_PORT)
